import type { Colors } from "./colors.js";
import { exitCodeOfRuns, type RunWithResults } from "./summary.js";

/** One line over several runs: test sets, test cases by outcome, and the one exit code. */
export function renderGrandTotal(runs: readonly RunWithResults[], c: Colors): string {
  const sum = { total: 0, ok: 0, nok: 0, na: 0, error: 0 };
  for (const { run } of runs) for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += run.counts[k];
  return c.bold(
    `Total: ${runs.length} test set${runs.length === 1 ? "" : "s"}, ${sum.total} test case${sum.total === 1 ? "" : "s"}: ${c.green(`${sum.ok} OK`)}, ${c.red(`${sum.nok} NOK`)}, ${c.yellow(`${sum.na} N/A`)}, ${c.magenta(`${sum.error} ERROR`)} (exit ${exitCodeOfRuns(runs)})`,
  );
}
