import { resolve } from "node:path";
import { definePlugin, type Backend, type PluginContext } from "@assay/ports";
import { createSqlBackend, harmoniseType as harmonise, renderTemplate } from "@assay/sql";
import { duckDbDialect } from "./dialect.js";
import { DuckDbDriver } from "./driver.js";
import { DuckDbBackendOptions, type DuckDbBackendOptionsInput } from "./options.js";

export { DuckDbBackendOptions, type DuckDbBackendOptionsInput } from "./options.js";
export { duckDbDialect } from "./dialect.js";
export { DuckDbDriver } from "./driver.js";

/** Harmonises a DuckDB type name (`DECIMAL(12,2)` → `decimal(12,2)`, `VARCHAR(20)` → `string`). */
export function harmoniseType(rawType: string): string {
  return harmonise(rawType, duckDbDialect.types);
}

function build(options: DuckDbBackendOptions, context: PluginContext): Backend {
  const database = (at: Parameters<typeof renderTemplate>[1]): string => {
    const path = renderTemplate(options.database, at);
    return path === ":memory:" ? path : resolve(context.projectRoot, path);
  };
  const driver = new DuckDbDriver({ readOnly: options.readOnly, threads: options.threads, memoryLimit: options.memoryLimit });
  return createSqlBackend(driver, duckDbDialect, {
    name: "duckdb",
    target: (at) => ({ database: database(at), schema: renderTemplate(options.schema, at) }),
    describe: (at) => `schema "${renderTemplate(options.schema, at)}" of ${database(at)}`,
    timeoutMs: options.timeoutMs,
    allowWrites: !options.readOnly,
  });
}

/**
 * Creates a duckdb backend from options as written in a config (validated and defaulted here).
 * @assay/backend-demo uses it to serve the warehouse it generates.
 */
export async function createDuckDbBackend(options: DuckDbBackendOptionsInput, context: PluginContext): Promise<Backend> {
  return build(DuckDbBackendOptions.parse(options), context);
}

/** assay backend plugin `duckdb`: the embedded default engine. Options: see the package README. */
export default definePlugin({
  kind: "backend",
  name: "duckdb",
  apiVersion: 1,
  description: "DuckDB, embedded: database files per domain and stage, a schema per instance.",
  optionsSchema: DuckDbBackendOptions,
  create: async (options: DuckDbBackendOptions, context: PluginContext) => build(options, context),
});
