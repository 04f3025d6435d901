import { definePlugin, type BackendPlugin } from "@assay/ports";
import { PostgresBackend } from "./backend.js";
import { connectionSettings, PostgresOptions } from "./options.js";
import { secretScrubber } from "./secrets.js";

export { PostgresBackend } from "./backend.js";
export { PostgresOptions, type PostgresOptionsInput } from "./options.js";
export { harmoniseType } from "./harmonise.js";

/**
 * The `postgres` backend plugin. Connections open lazily (one pool per database), so create()
 * itself never touches the network: a server problem surfaces, as a BackendError, on first use.
 */
const plugin: BackendPlugin<PostgresOptions> = definePlugin({
  kind: "backend",
  name: "postgres",
  apiVersion: 1,
  description: "PostgreSQL: read-only queries, introspection, in-engine COMPARE, raw CSV files on the local disk.",
  optionsSchema: PostgresOptions,
  async create(options: PostgresOptions, context) {
    const connection = connectionSettings(options);
    const scrub = secretScrubber([connection.password, process.env.PGPASSWORD]);
    return new PostgresBackend(options, connection, scrub, context.projectRoot);
  },
});
export default plugin;
