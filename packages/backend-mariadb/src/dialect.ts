import type { TestObjectInfo } from "@assay/ports";
import { mariaDbComparePlan } from "./compare-plan.js";
import { byName, quoteIdent, type Dialect, type Introspector, type Session, type SessionTarget } from "@assay/sql";

/** MariaDB's and MySQL's type names (information_schema's COLUMN_TYPE, lower-case) → harmonised. */
const TYPES = {
  boolean: "boolean", // TINYINT(1): the engines have no other boolean
  tinyint: "tinyint", mediumint: "int", "tinyint unsigned": "smallint", "smallint unsigned": "int", "mediumint unsigned": "int", "int unsigned": "bigint",
  "bigint unsigned": "decimal(20,0)", datetime: "timestamp", year: "smallint", tinytext: "string", mediumtext: "string", longtext: "string", enum: "string",
  set: "string", tinyblob: "binary", blob: "binary", mediumblob: "binary", longblob: "binary", binary: "binary", varbinary: "binary",
};

/** The native type shown and harmonised: TINYINT(1) as boolean, ENUM and SET without their values. */
function columnType(row: Record<string, unknown>): string {
  const full = String(row.full).toLowerCase().replace(/ zerofill$/, "");
  if (/^tinyint\(1\)$/.test(full)) return "boolean";
  return row.type === "enum" || row.type === "set" ? String(row.type) : full;
}

/** Rows of an information_schema query about one object (`table_schema = ? AND table_name = ?`). */
const about = (session: Session, at: SessionTarget, name: string, sql: string) => session.all(sql, [at.database, name]);

/** information_schema, where a database is what the standard calls a schema (the target's database). */
const introspector: Introspector = {
  list: async (session, at) =>
    (await session.all(`SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE table_schema = ?`, [at.database])).map((r): TestObjectInfo => ({ name: String(r.name), kind: r.type === "VIEW" ? "view" : "table" })).sort(byName),
  async find(session, at, name) {
    const rows = await session.all(`SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?`, [at.database, name]);
    const found = rows.find((r) => r.name === name);
    return found ? { name, kind: found.type === "VIEW" ? "view" : "table", sql: `${quoteIdent(at.database)}.${quoteIdent(name)}` } : null;
  },
  columns: async (session, at, object) =>
    (await about(session, at, object.name, `SELECT column_name AS name, column_type AS "full", data_type AS type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`))
      .map((r) => ({ name: String(r.name), nativeType: columnType(r) })),
  primaryKeys: async (session, at, object) =>
    (await about(session, at, object.name, `SELECT column_name AS name FROM information_schema.key_column_usage WHERE table_schema = ? AND table_name = ? AND constraint_name = 'PRIMARY' ORDER BY ordinal_position`))
      .map((r) => String(r.name)),
  /** Partition columns from the partitioning expression (`region`, `YEAR(ordered_on)` → ordered_on); InnoDB clusters by the primary key, so no clustering is reported. */
  async layout(session, at, object) {
    const rows = await about(session, at, object.name, `SELECT partition_expression AS expr FROM information_schema.partitions WHERE table_schema = ? AND table_name = ? AND partition_expression IS NOT NULL LIMIT 1`);
    const expression = rows[0]?.expr;
    const names = typeof expression === "string" ? [...expression.matchAll(/`((?:[^`]|``)+)`|([A-Za-z_$][\w$]*)(?!\s*\()/g)].map((m) => (m[1] ?? m[2] ?? "").replaceAll("``", "`")) : [];
    return { partitioning: names, clustering: [] };
  },
};

/**
 * MariaDB and MySQL SQL. `collation` gives the server's binary no-pad collation of utf8mb4
 * (MariaDB utf8mb4_nopad_bin, MySQL 8 utf8mb4_0900_bin): text is grouped, compared and ordered
 * by code point in it, so 'a' differs from 'A' and from 'a '. Sessions run with ANSI_QUOTES.
 */
export function mariaDbDialect(collation: () => string): Dialect {
  const exact = (expression: string): string => `CONVERT(${expression} USING utf8mb4) COLLATE ${collation()}`;
  return {
    param: () => "?",
    qualify: ({ schema, name }) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
    types: TYPES,
    comparisonTypeName: (type) => (type.kind === "exact" ? `DECIMAL(65,${type.scale})` : { text: "CHAR", double: "DOUBLE", integer: "SIGNED" }[type.kind]),
    // ASC puts NULLs first on these engines.
    orderTerm: (expression, type) => `${type === "string" ? exact(expression) : expression} ASC`,
    sampleCondition: (keys, seed, percent, bind) => `CRC32(CONCAT_WS(CHAR(31), ${bind(seed)}, ${keys.join(", ")})) % 10000 < ${bind(percent * 100)}`,
    foldsObjectNames: false,
    toleranceCast: (param, isExact) => `CAST(${param} AS ${isExact ? "DECIMAL(65,30)" : "DOUBLE"})`,
    // BIGINT subtraction overflows with an error; DECIMAL's does not (+ 0.0 makes an integer one).
    absDifference: (e, a) => `abs((${e} + 0.0) - ${a})`,
    temporalCast: (expression) => `CAST(${expression} AS DATETIME(6))`, // no TIMESTAMP type in CAST
    shownValue: (expression, type) => (type === "float" ? `CAST(${expression} AS DOUBLE)` : expression), // FLOAT comes as text of 6 digits
    nullSafeEqual: (left, right) => `(${left} <=> ${right})`,
    countWhere: (condition) => `count(CASE WHEN ${condition} THEN 1 END)`,
    exactText: (expression, type) => (type === "string" ? exact(expression) : expression),
    sameText: (expression) => `(min(CAST(${expression} AS BINARY)) = max(CAST(${expression} AS BINARY)))`, // latestLoad: GROUP BY a text key is dear
    introspector,
    comparePlanner: mariaDbComparePlan,
    checksum: { hexToInt: (hex) => `CAST(CONV(${hex}, 16, 10) AS UNSIGNED)`, concat: (parts) => `CONCAT(${parts.join(", ")})`, timestampText: (x) => `DATE_FORMAT(${x}, '%Y-%m-%dT%H:%i:%s.%f')` },
  };
}
