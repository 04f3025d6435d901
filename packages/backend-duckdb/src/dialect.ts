import { quoteIdent, type Dialect } from "@assay/sql";
import { duckDbComparePlan } from "./compare-plan.js";

/** DuckDB's own type names (lower-case) → harmonised; the SQL standard's come from the kit. */
const TYPES = {
  int4: "int",
  signed: "int",
  int8: "bigint",
  long: "bigint",
  int2: "smallint",
  short: "smallint",
  tinyint: "tinyint",
  int1: "tinyint",
  hugeint: "hugeint",
  int128: "hugeint",
  float8: "double",
  float4: "float",
  string: "string",
  bpchar: "string",
  bool: "boolean",
  logical: "boolean",
  datetime: "timestamp",
  timestamp_s: "timestamp",
  timestamp_ms: "timestamp",
  timestamp_ns: "timestamp",
  blob: "binary",
  bytea: "binary",
  varbinary: "binary",
};

/** DuckDB SQL: `$n` parameters, three-part names, binary text order, hash() for sampling. */
export const duckDbDialect: Dialect = {
  param: (index) => `$${index}`,
  qualify: ({ catalog, schema, name }) => [catalog, schema, name].map(quoteIdent).join("."),
  types: TYPES,
  comparisonTypeName: (type) => (type.kind === "exact" ? `DECIMAL(38,${type.scale})` : { text: "VARCHAR", double: "DOUBLE", integer: "BIGINT" }[type.kind]),
  // DuckDB's default collation is binary: text sorts by code point as it is.
  orderTerm: (expression) => `${expression} ASC NULLS FIRST`,
  sampleCondition: (keys, seed, percent, bind) => `hash(${bind(seed)}::VARCHAR, ${keys.join(", ")}) % 10000 < ${bind(percent * 100)}`,
  foldsObjectNames: true,
  maxExactDigits: 38,
  toleranceCast: (param) => `CAST(${param} AS DOUBLE)`,
  // No exact type is wider than HUGEINT and DECIMAL(38): a difference that overflows them is compared as a double (|e - a| > 10^18 at least).
  absDifference: (e, a) => `coalesce(TRY(abs(${e} - ${a})), abs(CAST(${e} AS DOUBLE) - CAST(${a} AS DOUBLE)))`,
  comparePlanner: duckDbComparePlan,
  checksum: {
    hexToInt: (hex) => `CAST('0x' || ${hex} AS BIGINT)`,
    // Decimals print with their scale (trailing zeros, then a bare point, go); whole doubles as `5.0` where others print `5`.
    decimalText: (x, type) => (/,0\)$/.test(type) ? `CAST(${x} AS VARCHAR)` : `rtrim(rtrim(CAST(${x} AS VARCHAR), '0'), '.')`),
    isNaN: (x) => `isnan(${x})`,
    floatText: (x) => `regexp_replace(CAST(${x} AS VARCHAR), '\\.0$', '')`,
    timestampText: (x, utc) => `strftime(${utc ? `timezone('UTC', ${x})` : x}, '%Y-%m-%dT%H:%M:%S.%f')`,
  },
};
