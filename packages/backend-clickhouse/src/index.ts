import path from "node:path";
import { definePlugin, type Backend, type BackendPlugin, type Coordinates, type PluginContext } from "@assay/ports";
import { createSqlBackend, harmoniseType as harmonise, renderTemplate, secretScrubber } from "@assay/sql";
import { clickHouseDialect } from "./dialect.js";
import { ClickHouseDriver, plainType } from "./driver.js";
import { ClickHouseOptions, type ClickHouseOptionsInput } from "./options.js";
import { EmbeddedTransport, ServerTransport } from "./transport.js";

export { ClickHouseOptions, type ClickHouseOptionsInput } from "./options.js";
export { clickHouseDialect } from "./dialect.js";
export { ClickHouseDriver } from "./driver.js";

/** Harmonises a ClickHouse type: wrappers dropped, then the dialect's map (`Nullable(Decimal(12, 2))` → `decimal(12,2)`). */
export const harmoniseType = (rawType: string): string => harmonise(plainType(rawType), clickHouseDialect.types);

function build(options: ClickHouseOptions, context: PluginContext): Backend {
  const transport = options.url ? new ServerTransport(options.url, options.timeoutMs) : new EmbeddedTransport(path.resolve(context.projectRoot, options.path));
  const where = options.url ? `ClickHouse at ${secretScrubber([])(options.url)}` : `chDB at ${options.path}`;
  const driver = new ClickHouseDriver(transport, options.timeoutMs, where);
  const target = (at: Coordinates) => ({ database: renderTemplate(options.database, at), schema: renderTemplate(options.database, at) });
  return createSqlBackend(driver, clickHouseDialect, {
    name: "clickhouse",
    target,
    describe: (at) => `database ${JSON.stringify(target(at).database)} of ${where}`,
    timeoutMs: options.timeoutMs,
    capabilities: { primaryKeys: false },
  });
}

/** Creates a clickhouse backend from options as written in a config. */
export async function createClickHouseBackend(options: ClickHouseOptionsInput, context: PluginContext): Promise<Backend> {
  return build(ClickHouseOptions.parse(options), context);
}

/** The `clickhouse` backend plugin: a server (url) or embedded chDB (path). create() opens nothing. */
const plugin: BackendPlugin<ClickHouseOptions> = definePlugin({
  kind: "backend",
  name: "clickhouse",
  apiVersion: 1,
  description: "ClickHouse: a server through @clickhouse/client, or embedded chDB; read-only queries, introspection, in-engine COMPARE.",
  optionsSchema: ClickHouseOptions,
  create: async (options: ClickHouseOptions, context: PluginContext) => build(options, context),
});
export default plugin;
