import { exactShape, type ComparisonType } from "@assay/ports";

/**
 * The one type harmoniser: engine type names → assay's vocabulary (see `Column` in
 * @assay/ports), fed by a per-dialect map. Every character type is `string` (lengths are not
 * compared), decimals keep precision and scale, anything unknown is the lower-cased raw type.
 */

/** Lower-case base type name (modifiers removed) → harmonised name. */
export type TypeMap = Readonly<Record<string, string>>;

/** Names the SQL standard gives; a dialect's map adds its own and may override these. */
export const STANDARD_TYPES: TypeMap = {
  integer: "int",
  int: "int",
  bigint: "bigint",
  smallint: "smallint",
  decimal: "decimal",
  numeric: "decimal",
  real: "float",
  float: "float",
  "double precision": "double",
  double: "double",
  varchar: "string",
  "character varying": "string",
  char: "string",
  character: "string",
  text: "string",
  boolean: "boolean",
  date: "date",
  time: "time",
  "time without time zone": "time",
  timestamp: "timestamp",
  "timestamp without time zone": "timestamp",
  "timestamp with time zone": "timestamptz",
  timestamptz: "timestamptz",
  interval: "interval",
  json: "json",
  uuid: "uuid",
};

/** `DECIMAL(12, 2)` → `decimal(12,2)`, `VARCHAR(20)` → `string`, `timestamp(3) without time zone` → `timestamp`. */
export function harmoniseType(rawType: string, map: TypeMap): string {
  const lower = rawType.trim().replace(/\s+/g, " ").toLowerCase();
  if (lower.endsWith("]")) return lower; // arrays keep the engine's spelling
  const decimal = /^(?:decimal|numeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(lower);
  if (decimal) return `decimal(${decimal[1]},${decimal[2] ?? "0"})`;
  const base = lower.replace(/\s*\(\s*\d+\s*(?:,\s*\d+\s*)?\)/, "").trim();
  if (base.startsWith("interval")) return "interval";
  return map[base] ?? STANDARD_TYPES[base] ?? lower;
}

/** A nested type (DuckDB's LIST, ARRAY, STRUCT, MAP, UNION; PostgreSQL's arrays), as harmonised. */
export function isNestedType(type: string): boolean {
  return type.endsWith("]") || /^(struct|map|union)\s*\(/.test(type);
}

/**
 * Integer digits and scale of the difference of a compared column's two exact values (one digit
 * more than the wider side: BIGINT 9223372036854775807 against -1), for engines whose exact
 * arithmetic does not widen; null for floats, values cast to the dialect's widest exact type
 * (`exact`) and the rest.
 */
export function differenceShape(meet: ComparisonType, type: string): { digits: number; scale: number } | null {
  const shape = meet.kind === "integer" ? exactShape("bigint") : meet.kind === "same" || meet.kind === "native" ? exactShape(type) : null;
  return shape && { digits: shape.digits + 1, scale: shape.scale };
}
