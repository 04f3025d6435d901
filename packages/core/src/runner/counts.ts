import type { RunCounts, RunResult, TestStatus } from "@assay/ports";
import type { TestCaseResult } from "../model.js";

/** What a test case shows wherever one word stands for it: ERROR for status ERROR, else its result. */
export function testCaseOutcome(result: Pick<TestCaseResult, "status" | "result">): RunResult {
  return result.status === "ERROR" ? "ERROR" : result.result;
}

/** ok + nok + na + error = total; `error` counts status ERROR, `na` the other N/A results. */
export function countResults(total: number, results: readonly (Pick<TestCaseResult, "status" | "result"> | undefined)[]): RunCounts {
  const counts = { total, ok: 0, nok: 0, na: 0, error: 0 };
  for (const r of results) {
    if (!r) continue;
    const outcome = testCaseOutcome(r);
    if (outcome === "ERROR") counts.error++;
    else if (outcome === "OK") counts.ok++;
    else if (outcome === "NOK") counts.nok++;
    else counts.na++;
  }
  return counts;
}

/**
 * The run's one result (see RunResult in @assay/ports): ERROR when any test case is ERROR or
 * the run itself failed (status ERROR), else NOK when any is NOK, else N/A when any is N/A, when
 * a test case has no result (not finished) or when there is none at all, else OK.
 */
export function runResult(counts: RunCounts, status?: TestStatus): RunResult {
  if (status === "ERROR" || counts.error > 0) return "ERROR";
  if (counts.nok > 0) return "NOK";
  if (counts.total === 0 || counts.ok < counts.total) return "N/A";
  return "OK";
}

/** The exit code of a run result: 0 OK, 1 NOK or N/A, 3 ERROR. */
export function exitCodeOfResult(result: RunResult): 0 | 1 | 3 {
  return result === "ERROR" ? 3 : result === "OK" ? 0 : 1;
}
