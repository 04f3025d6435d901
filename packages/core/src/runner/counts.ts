import type { RunCounts, TestResult } from "@assay/ports";
import type { TestCaseResult } from "../model.js";

/** ok + nok + na + error = total; `error` counts status ERROR, `na` the other N/A results. */
export function countResults(total: number, results: readonly TestCaseResult[]): RunCounts {
  const counts = { total, ok: 0, nok: 0, na: 0, error: 0 };
  for (const r of results) {
    if (r.status === "ERROR") counts.error++;
    else if (r.result === "OK") counts.ok++;
    else if (r.result === "NOK") counts.nok++;
    else counts.na++;
  }
  return counts;
}

/** OK only when there is at least one test case and every one is OK; NOK if any is NOK; else N/A. */
export function runResult(results: readonly TestCaseResult[]): TestResult {
  if (results.length > 0 && results.every((r) => r.result === "OK")) return "OK";
  if (results.some((r) => r.result === "NOK")) return "NOK";
  return "N/A";
}
