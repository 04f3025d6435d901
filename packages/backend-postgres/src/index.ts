import { definePlugin, type Backend, type BackendPlugin } from "@assay/ports";
import { createSqlBackend, harmoniseType as harmonise, renderTemplate, secretScrubber } from "@assay/sql";
import { postgresDialect } from "./dialect.js";
import { PostgresDriver } from "./driver.js";
import { connectionSettings, PostgresOptions } from "./options.js";

export { PostgresOptions, type PostgresOptionsInput } from "./options.js";
export { postgresDialect } from "./dialect.js";
export { PostgresDriver } from "./driver.js";

/** Harmonises a PostgreSQL type as format_type prints it (`numeric(12,2)` → `decimal(12,2)`). */
export function harmoniseType(rawType: string): string {
  return harmonise(rawType, postgresDialect.types);
}

/** A postgres backend from validated options. Connections open lazily, one pool per database. */
export function createPostgresBackend(options: PostgresOptions): Backend {
  const connection = connectionSettings(options);
  const scrub = secretScrubber([connection.password, process.env.PGPASSWORD]);
  const driver = new PostgresDriver({ connection, poolSize: options.poolSize, timeoutMs: options.timeoutMs, connectTimeoutMs: options.connectTimeoutMs, scrub });
  const target = (at: Parameters<typeof renderTemplate>[1]) => ({ database: renderTemplate(connection.database, at), schema: renderTemplate(options.schema, at) });
  return createSqlBackend(driver, postgresDialect, {
    name: "postgres",
    target,
    describe: (at) => `schema ${JSON.stringify(target(at).schema)} of database ${JSON.stringify(target(at).database)}`,
    timeoutMs: options.timeoutMs,
  });
}

/**
 * The `postgres` backend plugin. Connections open lazily (one pool per database), so create()
 * itself never touches the network: a server problem surfaces, as a BackendError, on first use.
 */
const plugin: BackendPlugin<PostgresOptions> = definePlugin({
  kind: "backend",
  name: "postgres",
  apiVersion: 1,
  description: "PostgreSQL: read-only queries, introspection, in-engine COMPARE.",
  optionsSchema: PostgresOptions,
  create: async (options: PostgresOptions) => createPostgresBackend(options),
});
export default plugin;
