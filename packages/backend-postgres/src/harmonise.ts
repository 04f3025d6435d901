/**
 * PostgreSQL type names (as `format_type` prints them) → assay's harmonised vocabulary.
 *
 * Choice for character types: `text`, `character varying(n)` and `character(n)` all become
 * `string`. SCHEMA compares the harmonised base name, and a spec written once for several
 * engines says `string`, not the length a particular DDL happened to use.
 * Parameters are kept for `numeric(p,s)` → `decimal(p,s)`, where scale changes the values.
 */
const EXACT: Record<string, string> = {
  integer: "int",
  bigint: "bigint",
  smallint: "smallint",
  numeric: "decimal",
  "double precision": "double",
  real: "float",
  text: "string",
  "character varying": "string",
  character: "string",
  bpchar: "string",
  '"char"': "string",
  name: "string",
  boolean: "boolean",
  date: "date",
  "timestamp without time zone": "timestamp",
  "timestamp with time zone": "timestamptz",
  "time without time zone": "time",
  interval: "interval",
  bytea: "binary",
  json: "json",
  jsonb: "json",
  uuid: "uuid",
};

/** Harmonised type of a PostgreSQL type name, e.g. `numeric(12,2)` → `decimal(12,2)`. */
export function harmoniseType(rawType: string): string {
  const raw = rawType.trim().toLowerCase();
  if (raw.endsWith("[]")) return raw;
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(raw);
  if (numeric) return `decimal(${numeric[1]},${numeric[2]})`;
  // Drop a type modifier: `timestamp(3) without time zone`, `character varying(20)`, `interval day to second`.
  const base = raw.replace(/\(\d+(,\d+)?\)/, "").replace(/\s+/g, " ").trim();
  if (base.startsWith("interval")) return "interval";
  return EXACT[base] ?? raw;
}

const NUMERIC_BASES = new Set(["int", "bigint", "smallint", "decimal", "float", "double"]);

/** Whether a harmonised type is a number (tolerance applies, values compare across widths). */
export function isNumericType(type: string): boolean {
  return NUMERIC_BASES.has(baseType(type));
}

/** `decimal(12,2)` → `decimal`. */
export function baseType(type: string): string {
  return type.replace(/\(.*\)$/, "");
}
