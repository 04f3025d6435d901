import { hostname } from "node:os";
import type { TestCaseResult, TestRun } from "../model.js";
import { countResults, runResult } from "./counts.js";

/**
 * Whether a stored run that is not finished still runs: `running` when its process is alive
 * on this host, `interrupted` when that process is gone (killed, crashed, second Ctrl-C),
 * `unknown` when it ran on another host or was stored without its process; null when the
 * run has ended (FINISHED, ABORTED, ERROR).
 */
export type RunLiveness = "running" | "interrupted" | "unknown" | null;

export function runLiveness(run: Pick<TestRun, "status" | "process">, here: string = hostname()): RunLiveness {
  if (run.status !== "EXECUTING" && run.status !== "INITIATED" && run.status !== "NOT STARTED" && run.status !== "CHECKING PRECONDITIONS") return null;
  if (!run.process || run.process.host !== here) return "unknown";
  if (run.process.pid === process.pid) return "running";
  try {
    process.kill(run.process.pid, 0);
    return "running";
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? "running" : "interrupted";
  }
}

/**
 * A stored run as it should be shown: counts and result come from its stored results (test
 * cases without one count N/A) by the one model (runResult), whatever version stored the
 * header; for a run that did not finish the message says what happened to it, instead of the
 * zero counts its header was written with.
 */
export function settleStoredRun(run: TestRun, results: readonly TestCaseResult[]): TestRun {
  const liveness = runLiveness(run);
  const total = Math.max(run.testcases.length, results.length);
  const counts = countResults(total, results);
  counts.na += total - results.length;
  if (liveness === null) return { ...run, counts, result: runResult(counts, run.status) };
  const finished = `${results.length} of ${run.testcases.length} test case${run.testcases.length === 1 ? "" : "s"} finished`;
  const message =
    liveness === "running"
      ? `Still running (process ${run.process!.pid}): ${finished} so far.`
      : liveness === "interrupted"
        ? `Interrupted: the process that ran it (pid ${run.process!.pid}) ended before the run finished; ${finished}, the others have no result.`
        : `Not finished: ${finished}; it may still run${run.process ? ` on ${run.process.host}` : ""}, or its process was killed.`;
  return { ...run, counts, result: runResult(counts, run.status), message };
}
