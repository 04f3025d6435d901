import type { Row } from "@assay/ports";

/**
 * The one result row of a COMPARE whose checksum pass found both sides holding the same rows
 * with unique keys: every row matched, nothing to list (decode.ts reads it like any plan's rows).
 */
export function allMatched(columns: number, expectedRows: unknown, actualRows: unknown): Row[] {
  const zero = ["missing", "extra", "mismatched", "duplicate_expected", "duplicate_actual", ...Array.from({ length: columns }, (_, i) => `mismatches_c${i}`)];
  return [{ expected_rows: String(expectedRows ?? 0), actual_rows: String(actualRows ?? 0), matched: String(expectedRows ?? 0), ...Object.fromEntries(zero.map((f) => [f, 0])), kind: null }];
}
