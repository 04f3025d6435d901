import type { CellValue, Row } from "../values.js";

/** What COMPARE must report for two row sets, computed in memory (exact counts and diff entries). */
export interface OracleResult {
  expectedRows: number;
  actualRows: number;
  matchedRows: number;
  missingRows: number;
  extraRows: number;
  mismatchedRows: number;
  duplicateKeys: { expected: number; actual: number };
  columns: { name: string; mismatches: number }[];
  /** One entry per differing key (per side for duplicates): `kind|key JSON|side`. */
  diff: string[];
}

/** The diff entry's identity, as oracleDiffEntry() and a backend's DiffRow both render it. */
export function diffEntry(kind: string, keys: readonly string[], key: Row, side?: string): string {
  return `${kind}|${JSON.stringify(keys.map((k) => key[k] ?? null))}|${side ?? ""}`;
}

/**
 * The port's COMPARE semantics, written the plainest way: keys match NULL-safely and exactly
 * (text is case-sensitive); a key repeated on a side counts once in that side's duplicateKeys
 * and its rows are reported, not compared (so neither matched, missing, extra nor mismatched);
 * values are equal when both are NULL or both are the same value. Values are compared as given
 * (the fixtures use one canonical string per decimal), with no tolerance.
 */
export function compareOracle(expected: readonly Row[], actual: readonly Row[], keys: readonly string[], columns: readonly string[]): OracleResult {
  const groups = new Map<string, { key: Row; expected: Row[]; actual: Row[] }>();
  const group = (row: Row) => {
    const id = JSON.stringify(keys.map((k) => row[k] ?? null));
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key: Object.fromEntries(keys.map((k) => [k, row[k] ?? null])), expected: [], actual: [] }));
    return g;
  };
  for (const row of expected) group(row).expected.push(row);
  for (const row of actual) group(row).actual.push(row);
  const result: OracleResult = {
    expectedRows: expected.length,
    actualRows: actual.length,
    matchedRows: 0,
    missingRows: 0,
    extraRows: 0,
    mismatchedRows: 0,
    duplicateKeys: { expected: 0, actual: 0 },
    columns: columns.map((name) => ({ name, mismatches: 0 })),
    diff: [],
  };
  for (const g of groups.values()) {
    const e = g.expected.length;
    const a = g.actual.length;
    if (e > 1 || a > 1) {
      if (e > 1) {
        result.duplicateKeys.expected++;
        result.diff.push(diffEntry("duplicate", keys, g.key, "expected"));
      }
      if (a > 1) {
        result.duplicateKeys.actual++;
        result.diff.push(diffEntry("duplicate", keys, g.key, "actual"));
      }
    } else if (a === 0) {
      result.missingRows++;
      result.diff.push(diffEntry("missing", keys, g.key));
    } else if (e === 0) {
      result.extraRows++;
      result.diff.push(diffEntry("extra", keys, g.key));
    } else {
      const differing = result.columns.filter((c) => !sameCell(g.expected[0]![c.name], g.actual[0]![c.name]));
      if (differing.length === 0) result.matchedRows++;
      else {
        result.mismatchedRows++;
        for (const c of differing) c.mismatches++;
        result.diff.push(diffEntry("mismatch", keys, g.key));
      }
    }
  }
  result.diff.sort();
  return result;
}

function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}
