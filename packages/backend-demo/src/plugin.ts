import { stat } from "node:fs/promises";
import path from "node:path";
import { DuckDbBackendOptions, createDuckDbBackend } from "@assay/backend-duckdb";
import { BackendError, definePlugin, type PluginContext } from "@assay/ports";

/**
 * A missing warehouse folder means the demo was never generated here: say so, with the command
 * that fixes it, before the engine reports a missing file per domain and stage.
 */
async function requireWarehouse(database: string, context: PluginContext): Promise<void> {
  if (database === ":memory:") return;
  // The fixed folder part of the template: "warehouse/{domain}_{stage}.duckdb" → "warehouse".
  const placeholder = database.indexOf("{");
  const fixed = placeholder === -1 ? path.dirname(database) : database.slice(0, database.lastIndexOf("/", placeholder) + 1);
  const folder = path.resolve(context.projectRoot, fixed);
  const exists = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (exists) return;
  throw new BackendError("BACKEND_UNREACHABLE", `The demo warehouse folder ${folder} does not exist`, {
    where: { file: folder },
    expected: "the DuckDB files of a generated demo (warehouse/<domain>_<stage>.duckdb)",
    fix: `Generate the demo first: assay demo --dir ${JSON.stringify(context.projectRoot)}`,
  });
}

/**
 * The `demo` backend: the generated demo warehouse served by @assay/backend-duckdb, read-only.
 * Options and defaults are duckdb's (database warehouse/{domain}_{stage}.duckdb, schema
 * {instance}, raw files raw/{domain}/{stage}/{instance}).
 */
export default definePlugin({
  kind: "backend",
  name: "demo",
  apiVersion: 1,
  description: "The generated assay demo warehouse (DuckDB, read-only); create it with `assay demo`.",
  // The duckdb backend's options, whose defaults are the demo layout.
  optionsSchema: DuckDbBackendOptions,
  async create(options: DuckDbBackendOptions, context: PluginContext) {
    await requireWarehouse(options.database, context);
    return createDuckDbBackend(options, context);
  },
});
