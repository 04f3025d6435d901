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

const rows = (count: number): string => `${n(count)} row${count === 1 ? "" : "s"}`;

/**
 * One sentence, whatever the counts: "All 10,000 rows match.", "The 1 row matches.", "Both
 * sides are empty: nothing to compare.", "12 rows differ (10,000 expected, 9,999 actual):
 * 3 missing, 2 extra, 7 mismatched (amount 7); 1 duplicate key in expected". The differing
 * rows are not a part of the expected ones (extra rows are not expected), so both totals are named.
 */
export function compareSummary(result: CompareResult): string {
  const sample = result.sample ? ` (sample of ${result.sample.percent}% of keys)` : "";
  if (compareOk(result)) {
    if (result.expectedRows === 0) return `Both sides are empty${sample}: nothing to compare.`;
    return result.expectedRows === 1 ? `The 1 row matches${sample}.` : `All ${rows(result.expectedRows)} match${sample}.`;
  }
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
    const verb = differing === 1 ? "differs" : "differ";
    parts.push(`${rows(differing)} ${verb}${sample} (${n(result.expectedRows)} expected, ${n(result.actualRows)} actual): ${kinds.join(", ")}`);
  }
  for (const side of ["expected", "actual"] as const) {
    const count = result.duplicateKeys[side];
    if (count > 0) parts.push(`${n(count)} duplicate key${count === 1 ? "" : "s"} in ${side}`);
  }
  return `${parts.join("; ")}.`;
}
