import type { ChecksumEncoding } from "@assay/ports";

const EXACT = /^(tinyint|smallint|int|bigint|hugeint|decimal(\(\d+,\d+\))?)$/;
const FLOATING = new Set(["float", "double"]);

/**
 * The type a column is encoded in across engines when its two sides' harmonised types differ:
 * the type the in-engine COMPARE meets them in (comparisonType in @assay/sql, which core cannot
 * import), where the canonical texts of the two own types would differ for equal values. A
 * float against any other number meets as a double (never as 15 digits of text); a date
 * against a timestamp as the timestamp at its midnight; a date or timestamp against a
 * timestamptz as a timestamptz (read as UTC). Exact numbers of any width, booleans against
 * integers and the rest already give equal texts for equal values: null.
 */
export function encodingType(expected: string | undefined, actual: string | undefined): ChecksumEncoding | null {
  if (!expected || !actual || expected === actual) return null;
  const numeric = (t: string) => EXACT.test(t) || FLOATING.has(t);
  if (numeric(expected) && numeric(actual)) return FLOATING.has(expected) || FLOATING.has(actual) ? "double" : null;
  const pair = new Set([expected, actual]);
  if (pair.has("timestamptz") && (pair.has("timestamp") || pair.has("date"))) return "timestamptz";
  if (pair.has("timestamp") && pair.has("date")) return "timestamp";
  return null;
}

/** A column's type by name, exact spelling first, else ignoring case (as the backends match names). */
export function typeByName(types: Record<string, string>, name: string): string | undefined {
  return types[name] ?? Object.entries(types).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/** `encodeAs` of a checksum request: the columns whose sides meet in another type. */
export function encodings(names: string[], expected: Record<string, string>, actual: Record<string, string>): Record<string, ChecksumEncoding> {
  const out: Record<string, ChecksumEncoding> = {};
  for (const name of names) {
    const as = encodingType(typeByName(expected, name), typeByName(actual, name));
    if (as) out[name] = as;
  }
  return out;
}
