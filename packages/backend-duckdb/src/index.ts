import { definePlugin, type Backend, type PluginContext } from "@assay/ports";
import { DuckDbBackend } from "./backend.js";
import { DuckDbBackendOptions, type DuckDbBackendOptionsInput } from "./options.js";

export { DuckDbBackendOptions, type DuckDbBackendOptionsInput } from "./options.js";
export { harmoniseType } from "./harmonise.js";

/**
 * Creates a duckdb backend from options as written in a config (validated and defaulted here).
 * @assay/backend-demo uses it to serve the warehouse it generates.
 */
export async function createDuckDbBackend(options: DuckDbBackendOptionsInput, context: PluginContext): Promise<Backend> {
  return new DuckDbBackend(DuckDbBackendOptions.parse(options), context);
}

/** assay backend plugin `duckdb`: the embedded default engine. Options: see the package README. */
export default definePlugin({
  kind: "backend",
  name: "duckdb",
  apiVersion: 1,
  description: "DuckDB, embedded: database files per domain and stage, a schema per instance.",
  optionsSchema: DuckDbBackendOptions,
  create: async (options: DuckDbBackendOptions, context: PluginContext) => new DuckDbBackend(options, context),
});
