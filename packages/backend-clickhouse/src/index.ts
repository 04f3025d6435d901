import path from "node:path";
import { definePlugin, type Backend, type BackendPlugin, type PluginContext } from "@assay/ports";
import { createSqlBackend, harmoniseType as harmonise, renderTemplate } from "@assay/sql";
import { clickHouseDialect } from "./dialect.js";
import { ClickHouseDriver, plainType } from "./driver.js";
import { ClickHouseOptions, type ClickHouseOptionsInput } from "./options.js";
import { EmbeddedTransport, ServerTransport } from "./transport.js";

export { ClickHouseOptions, type ClickHouseOptionsInput } from "./options.js";
export { clickHouseDialect } from "./dialect.js";
export { ClickHouseDriver } from "./driver.js";

/** Harmonises a ClickHouse type: wrappers dropped, then the dialect's map (`Nullable(Decimal(12, 2))` → `decimal(12,2)`). */
export function harmoniseType(rawType: string): string {
  return harmonise(plainType(rawType), clickHouseDialect.types);
}

function redact(url: string): string {
  return url.replace(/(\/\/[^:/@\s]*):[^@\s]*@/, "$1:***@");
}

function build(options: ClickHouseOptions, context: PluginContext): Backend {
  const transport = options.url ? new ServerTransport(options.url, options.timeoutMs) : new EmbeddedTransport(path.resolve(context.projectRoot, options.path));
  const where = options.url ? `ClickHouse at ${redact(options.url)}` : `chDB at ${options.path}`;
  const driver = new ClickHouseDriver(transport, options.timeoutMs, where);
  const target = (at: Parameters<typeof renderTemplate>[1]) => {
    const database = renderTemplate(options.database, at);
    return { database, schema: database };
  };
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
