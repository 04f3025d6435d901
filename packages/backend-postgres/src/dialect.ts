import { embeddable, harmoniseType, quoteIdent, type Dialect } from "@assay/sql";
import { postgresComparePlan } from "./compare-plan.js";
import { latestLoadPlan, postgresIntrospector } from "./introspector.js";

/** PostgreSQL's own type names (as format_type prints them) → harmonised; the standard's come from the kit. */
const TYPES = { bpchar: "string", '"char"': "string", name: "string", bytea: "binary", jsonb: "json" };

/** Types with an equality operator; others (json, geometric types, ...) are compared as text. */
const COMPARABLE = new Set(["int", "bigint", "smallint", "decimal", "float", "double", "string", "boolean", "date", "time", "timestamp", "timestamptz", "interval", "uuid", "binary"]);

/** A stable 32-bit number for a sample seed (FNV-1a), the same for every run. */
function seedNumber(seed: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(seed, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** PostgreSQL SQL: `$n` parameters, schema-qualified names, COLLATE "C" for code-point order. */
export const postgresDialect: Dialect = {
  param: (index) => `$${index}`,
  qualify: ({ schema, name }) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
  types: TYPES,
  comparisonTypeName: (type) => ({ text: "text", double: "float8", integer: "int8", exact: "numeric" })[type.kind],
  // The database's collation may be a locale's (ICU `en` sorts `a A b B`); "C" compares code points (bytes of UTF-8).
  orderTerm: (expression, type) => `${expression}${type === "string" ? ' COLLATE "C"' : ""} ASC NULLS FIRST`,
  sampleCondition: (keys, seed, percent, bind) =>
    `abs(hashtextextended(concat_ws(chr(31), ${keys.join(", ")}), ${bind(seedNumber(seed))}::int8) % 1000000) < ${bind(Math.round(percent * 10_000))}::int8`,
  foldsObjectNames: false,
  // Arrays compare element by element with the element type's equality ({1.0} = {1.00}) when it has one.
  comparedAsText: (type) => !COMPARABLE.has(harmoniseType(type.replace(/\[\]$/, ""), TYPES).replace(/\(.*\)$/, "")),
  toleranceCast: (param, exact) => `${param}::${exact ? "numeric" : "float8"}`,
  // numeric is unbounded: BIGINT extremes subtract without overflow.
  absDifference: (e, a) => `abs(${e}::numeric - ${a}::numeric)`,
  // Embedded as a subquery: only a query parses there, whatever the READ ONLY transaction allows.
  userQuery: (sql) => `SELECT * FROM (\n${embeddable(sql)}) AS assay_q`,
  introspector: postgresIntrospector,
  latestLoadPlan,
  comparePlanner: postgresComparePlan,
  checksum: {
    decimalText: (x) => `CAST(trim_scale(${x}) AS text)`,
    isNaN: (x) => `${x} = CAST('NaN' AS float8)`,
    hexToInt: (hex, digits) => `CAST(CAST('x' || ${hex} AS bit(${digits * 4})) AS int8)`,
    timestampText: (x, utc) => `to_char(${utc ? `${x} AT TIME ZONE 'UTC'` : x}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
  },
};
