import { runIdDate, slug } from "./run-id.js";

/**
 * The layout of the results store. Run headers live under runs/<domain>/<date>/, named
 * `<runId>~<test set>`, so listing runs by domain, date or test set reads key names only; the
 * results of a run live under results/<runId>/, one object per test case, numbered in test set
 * order, so storing a result never rewrites anything else.
 *
 *   runs/payments/2026-01-02/20260102T030405678Z-3f9a1c~payments-partial.json
 *   results/20260102T030405678Z-3f9a1c/000001-stage_accounts_schema.json
 */
export function runHeaderKey(domain: string, runId: string, testSetName: string, startedAt: string, ext: string): string {
  const date = runIdDate(runId) ?? startedAt.slice(0, 10);
  return `runs/${slug(domain)}/${date}/${runId}~${slug(testSetName)}.${ext}`;
}

export function resultKey(runId: string, index: number, testCaseId: string, ext: string): string {
  return `results/${runId}/${String(index + 1).padStart(6, "0")}-${slug(testCaseId)}.${ext}`;
}

export function resultsPrefix(runId: string): string {
  return `results/${runId}/`;
}

/** What a run header's key says about the run. */
export interface RunIndexEntry {
  id: string;
  domain: string;
  /** YYYY-MM-DD (UTC) the run started. */
  date: string;
  /** The test set name as it appears in keys (lower-case, '-' for other characters). */
  testSet: string;
  key: string;
}

export function parseRunHeaderKey(key: string, ext: string): RunIndexEntry | null {
  const m = /^runs\/([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/~]+)~([^/]+)$/.exec(key);
  if (!m || !m[4]!.endsWith(`.${ext}`)) return null;
  return { domain: m[1]!, date: m[2]!, id: m[3]!, testSet: m[4]!.slice(0, -ext.length - 1), key };
}
