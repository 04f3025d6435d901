import { quoteIdent, type Dialect } from "@assay/sql";

/**
 * How the SQL assay generates is spelled on this engine. Adapting another engine: its parameter
 * placeholders, how it names objects, its own type names, a text order by code point, a hash.
 */
export const dialect: Dialect = {
  // DuckDB binds $1, $2, …; many engines use ? (then return "?").
  param: (index) => `$${index}`,
  qualify: ({ catalog, schema, name }) => [catalog, schema, name].map(quoteIdent).join("."),
  // The engine's own type names (lower-case) → harmonised; the SQL standard's names come from the kit.
  types: {
    int4: "int",
    int8: "bigint",
    long: "bigint",
    int2: "smallint",
    tinyint: "tinyint",
    hugeint: "hugeint",
    float4: "float",
    float8: "double",
    string: "string",
    bool: "boolean",
    blob: "binary",
    timestamp_s: "timestamp",
    timestamp_ms: "timestamp",
    timestamp_ns: "timestamp",
  },
  // The types both sides of a COMPARE meet in, when their types differ.
  comparisonTypeName: (type) => (type.kind === "exact" ? `DECIMAL(38,${type.scale})` : { text: "VARCHAR", double: "DOUBLE", integer: "BIGINT" }[type.kind]),
  // maxExactDigits (the widest exact type) is left out on purpose: exact numbers always meet as
  // DECIMAL(38, the larger scale), and a value that does not fit fails the COMPARE loudly. With it
  // set to 38, decimals too wide together would be compared as they are, and DuckDB promotes
  // those through DOUBLE, silently equating values that differ in the 16th digit.
  // Scans must sort text by code point: DuckDB's default collation already does. An engine with a
  // locale collation needs one that does not (PostgreSQL: COLLATE "C").
  orderTerm: (expression) => `${expression} ASC NULLS FIRST`,
  // Sampled COMPARE: the same keys on both sides, from a hash of the key and the seed.
  sampleCondition: (keys, seed, percent, bind) => `hash(${bind(seed)}::VARCHAR, ${keys.join(", ")}) % 10000 < ${bind(percent * 100)}`,
  // DuckDB matches names case-insensitively, so an object asked for in another case is found.
  foldsObjectNames: true,
  toleranceCast: (param) => `CAST(${param} AS DOUBLE)`,
  // |e - a| under a tolerance must not overflow (BIGINT 9223372036854775807 against -1): where the
  // exact difference does not fit, compare it as a double. An engine that widens on its own can drop this.
  absDifference: (e, a) => `coalesce(TRY(abs(${e} - ${a})), abs(CAST(${e} AS DOUBLE) - CAST(${a} AS DOUBLE)))`,
};
