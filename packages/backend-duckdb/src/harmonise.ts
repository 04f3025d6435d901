/**
 * DuckDB type names → assay's harmonised vocabulary (see `Column` in @assay/ports): the names
 * SCHEMA compares on, independent of the engine. Parameters are kept where they matter.
 */
const SIMPLE: Record<string, string> = {
  INTEGER: "int",
  INT: "int",
  INT4: "int",
  SIGNED: "int",
  BIGINT: "bigint",
  INT8: "bigint",
  LONG: "bigint",
  SMALLINT: "smallint",
  INT2: "smallint",
  SHORT: "smallint",
  TINYINT: "tinyint",
  INT1: "tinyint",
  HUGEINT: "hugeint",
  INT128: "hugeint",
  DOUBLE: "double",
  FLOAT8: "double",
  FLOAT: "float",
  FLOAT4: "float",
  REAL: "float",
  VARCHAR: "string",
  TEXT: "string",
  STRING: "string",
  CHAR: "string",
  BPCHAR: "string",
  BOOLEAN: "boolean",
  BOOL: "boolean",
  LOGICAL: "boolean",
  DATE: "date",
  TIMESTAMP: "timestamp",
  DATETIME: "timestamp",
  TIMESTAMP_S: "timestamp",
  TIMESTAMP_MS: "timestamp",
  TIMESTAMP_NS: "timestamp",
  "TIMESTAMP WITH TIME ZONE": "timestamptz",
  TIMESTAMPTZ: "timestamptz",
  TIME: "time",
  INTERVAL: "interval",
  BLOB: "binary",
  BYTEA: "binary",
  VARBINARY: "binary",
  UUID: "uuid",
  JSON: "json",
};

/** Harmonises one DuckDB type as DuckDB spells it (`DECIMAL(12,2)`, `VARCHAR`, `INTEGER[]`). */
export function harmoniseType(rawType: string): string {
  const raw = rawType.trim();
  const upper = raw.toUpperCase();
  const simple = SIMPLE[upper];
  if (simple) return simple;
  // DECIMAL(p,s) and NUMERIC(p,s); DuckDB reports DECIMAL, users may write NUMERIC.
  const decimal = /^(?:DECIMAL|NUMERIC)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(upper);
  if (decimal) return `decimal(${decimal[1]},${decimal[2] ?? "0"})`;
  // VARCHAR(n): DuckDB ignores the length, but a schema written by hand may carry it.
  const varchar = /^(?:VARCHAR|CHARACTER VARYING|TEXT|STRING|CHAR|BPCHAR)\s*\(\s*(\d+)\s*\)$/.exec(upper);
  if (varchar) return `varchar(${varchar[1]})`;
  // Nested and other types (INTEGER[], STRUCT(...), MAP(...), ENUM(...)) as DuckDB names them.
  return raw.toLowerCase();
}
