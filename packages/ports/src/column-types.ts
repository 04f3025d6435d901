/**
 * The harmonised type vocabulary's rules (the types of `Column.type`): which types are numbers,
 * and the type in which a compared column's two sides meet. One rule for every COMPARE: the
 * in-engine plans of @assay/sql and core's cross-engine compare and merge.
 */

/** `decimal(12,2)` → `decimal`. */
export function baseType(type: string): string {
  return type.replace(/\(.*\)$/, "");
}

const EXACT_DIGITS: Readonly<Record<string, number>> = { tinyint: 3, smallint: 5, int: 10, bigint: 19, hugeint: 39 };
const FLOATING = new Set(["float", "double"]);

/** Whether a harmonised type is a number (tolerance applies, values compare across widths); false for none. */
export function isNumericType(type: string | undefined): boolean {
  if (type === undefined) return false;
  const base = baseType(type);
  return FLOATING.has(base) || base in EXACT_DIGITS || base === "decimal";
}

/** Integer digits and scale of an exact number type; null for floats and non-numbers. */
export function exactShape(type: string): { digits: number; scale: number } | null {
  if (type === "decimal") return { digits: 0, scale: 0 }; // unconstrained (PostgreSQL's numeric): the dialect's exact type holds it
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (decimal) return { digits: Number(decimal[1]) - Number(decimal[2]), scale: Number(decimal[2]) };
  const digits = EXACT_DIGITS[type];
  return digits === undefined ? null : { digits, scale: 0 };
}

const INTEGERS = new Set(["tinyint", "smallint", "int", "bigint"]);

/** Types whose engine equality is looser than their value: compared by their text, field by field. */
const COMPARED_AS_TEXT = new Set(["interval", "json"]);

/**
 * The type both sides of a compared column meet in. `same`: both sides as they are; `integer`:
 * a 64-bit integer (integers up to BIGINT, and BOOLEAN against an integer as 1 and 0); `exact`:
 * a decimal of that scale (the dialect picks the widest exact type); `native`: exact numbers too
 * wide together for the engine's widest exact type, compared as they are (the engine promotes
 * exactly or fails; never through DOUBLE); `double`; `timestamp` (DATE against TIMESTAMP: the
 * date at midnight); `timestamptz` (TIMESTAMP against TIMESTAMPTZ: the timestamp read as UTC);
 * `text`: intervals (a month is not 30 days), JSON (as written) and any other pair.
 */
export type ComparisonType =
  | { kind: "same" }
  | { kind: "native" }
  | { kind: "integer" }
  | { kind: "exact"; scale: number }
  | { kind: "double" }
  | { kind: "timestamp" }
  | { kind: "timestamptz" }
  | { kind: "text" };

export function comparisonType(expected: string, actual: string, maxExactDigits = Infinity): ComparisonType {
  if (COMPARED_AS_TEXT.has(baseType(expected)) || COMPARED_AS_TEXT.has(baseType(actual))) return { kind: "text" };
  if (expected === actual) return { kind: "same" };
  if (isNumericType(expected) && isNumericType(actual)) {
    const e = exactShape(expected);
    const a = exactShape(actual);
    if (e && a) {
      if (e.scale === 0 && a.scale === 0 && !expected.startsWith("decimal") && !actual.startsWith("decimal") && Math.max(e.digits, a.digits) <= 19) return { kind: "integer" };
      const scale = Math.max(e.scale, a.scale);
      return Math.max(e.digits, a.digits) + scale <= maxExactDigits ? { kind: "exact", scale } : { kind: "native" };
    }
    return { kind: "double" };
  }
  const pair = new Set([expected, actual]);
  if (pair.has("boolean") && (INTEGERS.has(expected) || INTEGERS.has(actual))) return { kind: "integer" };
  if (pair.has("timestamptz") && (pair.has("timestamp") || pair.has("date"))) return { kind: "timestamptz" };
  if (pair.has("timestamp") && pair.has("date")) return { kind: "timestamp" };
  if (baseType(expected) === baseType(actual)) return { kind: "same" };
  return { kind: "text" };
}
