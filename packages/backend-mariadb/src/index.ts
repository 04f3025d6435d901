import { definePlugin, type Backend, type BackendPlugin, type Coordinates } from "@assay/ports";
import { createSqlBackend, harmoniseType as harmonise, renderTemplate, secretScrubber } from "@assay/sql";
import { mariaDbDialect } from "./dialect.js";
import { MariaDbDriver } from "./driver.js";
import { connectionSettings, MariaDbOptions } from "./options.js";

export { MariaDbOptions, type MariaDbOptionsInput } from "./options.js";
export { mariaDbDialect } from "./dialect.js";
export { MariaDbDriver } from "./driver.js";

/** Harmonises a MariaDB/MySQL column type (`decimal(12,2)` → `decimal(12,2)`, `varchar(20)` → `string`, `int(11)` → `int`). */
export const harmoniseType = (rawType: string): string => harmonise(rawType, mariaDbDialect(() => "utf8mb4_nopad_bin").types);

/** A mariadb backend from validated options. Connections open lazily. */
export function createMariaDbBackend(options: MariaDbOptions): Backend {
  const connection = connectionSettings(options);
  const driver = new MariaDbDriver({ connection, poolSize: options.poolSize, scrub: secretScrubber([connection.password]) });
  const target = (at: Coordinates) => ({ database: renderTemplate(options.database, at), schema: renderTemplate(options.database, at) });
  return createSqlBackend(driver, mariaDbDialect(() => driver.binaryCollation), {
    name: "mariadb",
    target,
    describe: (at) => `database ${JSON.stringify(target(at).database)}`,
    timeoutMs: options.timeoutMs,
    capabilities: { clustering: false },
  });
}

/** The `mariadb` backend plugin, for MariaDB 10.6+ and MySQL 8. create() never touches the network. */
const plugin: BackendPlugin<MariaDbOptions> = definePlugin({
  kind: "backend",
  name: "mariadb",
  apiVersion: 1,
  description: "MariaDB 10.6+ and MySQL 8: read-only queries, introspection, in-engine COMPARE.",
  optionsSchema: MariaDbOptions,
  create: async (options: MariaDbOptions) => createMariaDbBackend(options),
});
export default plugin;
