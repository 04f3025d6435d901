import type { CompareResult } from "@assay/ports";

const n = (value: number) => value.toLocaleString("en-US");

/** COMPARE passes when no row is missing, extra or mismatched and no key repeats. */
export function compareOk(result: CompareResult): boolean {
  return (
    result.missingRows === 0 &&
    result.extraRows === 0 &&
    result.mismatchedRows === 0 &&
    result.duplicateKeys.expected === 0 &&
    result.duplicateKeys.actual === 0
  );
}

/**
 * One sentence: "12 of 10,000 rows differ: 3 missing, 2 extra, 7 mismatched (amount 7);
 * 1 duplicate key in expected".
 */
export function compareSummary(result: CompareResult): string {
  const sample = result.sample ? ` (sample of ${result.sample.percent}% of keys)` : "";
  if (compareOk(result)) return `All ${n(result.expectedRows)} rows match${sample}.`;
  const differing = result.missingRows + result.extraRows + result.mismatchedRows;
  const parts: string[] = [];
  if (differing > 0) {
    const kinds: string[] = [];
    if (result.missingRows) kinds.push(`${n(result.missingRows)} missing`);
    if (result.extraRows) kinds.push(`${n(result.extraRows)} extra`);
    if (result.mismatchedRows) {
      const columns = result.columns.filter((c) => c.mismatches > 0).map((c) => `${c.name} ${n(c.mismatches)}`);
      kinds.push(`${n(result.mismatchedRows)} mismatched (${columns.join(", ")})`);
    }
    parts.push(`${n(differing)} of ${n(result.expectedRows)} rows differ${sample}: ${kinds.join(", ")}`);
  }
  for (const side of ["expected", "actual"] as const) {
    const count = result.duplicateKeys[side];
    if (count > 0) parts.push(`${n(count)} duplicate key${count === 1 ? "" : "s"} in ${side}`);
  }
  return `${parts.join("; ")}.`;
}
