import { comparisonType, type ChecksumEncoding } from "@assay/ports";

/**
 * The type a column is encoded in across engines when its two sides' harmonised types differ:
 * the type the in-engine COMPARE meets them in (comparisonType), where the canonical texts of
 * the two own types would differ for equal values: a float against any other number as a double
 * (never as 15 digits of text), a date against a timestamp as the timestamp at its midnight, a
 * date or timestamp against a timestamptz as a timestamptz (read as UTC). Exact numbers of any
 * width, booleans against integers and the rest already give equal texts for equal values: null.
 */
export function encodingType(expected: string | undefined, actual: string | undefined): ChecksumEncoding | null {
  if (!expected || !actual || expected === actual) return null;
  const { kind } = comparisonType(expected, actual);
  return kind === "double" || kind === "timestamp" || kind === "timestamptz" ? kind : null;
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
