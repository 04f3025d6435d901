/**
 * Spec-side type names in the harmonised vocabulary that backends report in Column.type, so
 * that a spec may say `INTEGER`, `int4` or `int` and SCHEMA compares them as the same `int`.
 * Parameters are kept (`decimal(12,2)`, `string(20)`); spaces and case are normalised.
 */

const ALIASES: Record<string, string> = {
  int: "int", integer: "int", int4: "int", int32: "int", signed: "int", mediumint: "int",
  bigint: "bigint", int8: "bigint", int64: "bigint", long: "bigint",
  smallint: "smallint", int2: "smallint", int16: "smallint", short: "smallint",
  tinyint: "tinyint", int1: "tinyint", byte: "tinyint",
  decimal: "decimal", numeric: "decimal", number: "decimal", dec: "decimal",
  float: "float", float4: "float", real: "float",
  double: "double", float8: "double", "double precision": "double", float64: "double",
  string: "string", varchar: "string", text: "string", char: "string", character: "string",
  "character varying": "string", nvarchar: "string", nchar: "string", bpchar: "string", clob: "string",
  bool: "boolean", boolean: "boolean", logical: "boolean",
  date: "date",
  time: "time", "time without time zone": "time",
  timestamp: "timestamp", datetime: "timestamp", "timestamp without time zone": "timestamp", timestamp_ntz: "timestamp",
  timestamptz: "timestamptz", "timestamp with time zone": "timestamptz", timestamp_tz: "timestamptz", timestamp_ltz: "timestamptz",
  interval: "interval",
  binary: "binary", varbinary: "binary", blob: "binary", bytea: "binary", bytes: "binary",
  json: "json", jsonb: "json",
  uuid: "uuid",
};

export interface HarmonisedType {
  /** e.g. `decimal` */
  base: string;
  /** e.g. `12,2`; null when the name has no parameters. */
  params: string | null;
}

/** Splits and harmonises a type name: `DECIMAL(12, 2)` → { base: "decimal", params: "12,2" }. */
export function parseTypeName(name: string): HarmonisedType {
  const text = name.trim().toLowerCase().replace(/\s+/g, " ");
  // `timestamp(3) with time zone` keeps its words around the parameters.
  const match = /^([^(]*?)\s*\(([^)]*)\)\s*(.*)$/.exec(text);
  const words = match ? `${match[1]}${match[3] ? ` ${match[3]}` : ""}`.trim() : text;
  const params = match ? match[2]!.replace(/\s+/g, "") : null;
  return { base: ALIASES[words] ?? words, params: params === "" ? null : params };
}

/** `INTEGER` → `int`, `VARCHAR(20)` → `string(20)`, `NUMERIC(12,2)` → `decimal(12,2)`, unknown → lower-cased. */
export function harmoniseTypeName(name: string): string {
  const { base, params } = parseTypeName(name);
  return params === null ? base : `${base}(${params})`;
}

/** Bases whose parameters are not compared: backends report every character type as `string`. */
const UNPARAMETERISED = new Set(["string"]);

/**
 * A spec type matches an actual (harmonised) type when the base names are equal and, if the
 * spec gives parameters, the parameters are equal too: `decimal` accepts `decimal(12,2)`.
 * String lengths are not compared (`varchar(20)` matches `string`).
 */
export function typeMatches(specType: string, actualType: string): boolean {
  const spec = parseTypeName(specType);
  const actual = parseTypeName(actualType);
  if (spec.base !== actual.base) return false;
  return spec.params === null || UNPARAMETERISED.has(spec.base) || spec.params === actual.params;
}
