import { definePlugin, type Backend, type BackendPlugin } from "@assay/ports";
import { createSqlBackend, harmoniseType as harmonise } from "@assay/sql";
import { mariaDbDialect } from "./dialect.js";
import { MariaDbDriver } from "./driver.js";
import { connectionSettings, MariaDbOptions, renderTemplate } from "./options.js";

export { MariaDbOptions, type MariaDbOptionsInput } from "./options.js";
export { mariaDbDialect } from "./dialect.js";
export { MariaDbDriver } from "./driver.js";

const TYPES = mariaDbDialect(() => "utf8mb4_nopad_bin").types;

/** Harmonises a MariaDB/MySQL column type (`decimal(12,2)` → `decimal(12,2)`, `varchar(20)` → `string`, `int(11)` → `int`). */
export function harmoniseType(rawType: string): string {
  return harmonise(rawType, TYPES);
}

/** Password and URL credentials out of every message. */
function scrubber(password: string | undefined): (text: string) => string {
  return (text) => {
    const out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, "$1:***@");
    return password ? out.split(password).join("***") : out;
  };
}

/** A mariadb backend from validated options. Connections open lazily. */
export function createMariaDbBackend(options: MariaDbOptions): Backend {
  const connection = connectionSettings(options);
  const driver = new MariaDbDriver({ connection, poolSize: options.poolSize, scrub: scrubber(connection.password) });
  const target = (at: Parameters<typeof renderTemplate>[1]) => {
    const database = renderTemplate(options.database, at);
    return { database, schema: database };
  };
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
