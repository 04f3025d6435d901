import type { TestCaseResult, TestRun } from "@assay/core";
import type { Colors } from "./colors.js";
import { renderDiffLines, terminalWidth } from "./diff-lines.js";
import { renderTable } from "./table.js";

export interface RunWithResults {
  run: TestRun;
  results: TestCaseResult[];
}

/** What a test case shows in the RESULT column: ERROR for status ERROR, else its result. */
export function outcomeOf(result: Pick<TestCaseResult, "status" | "result">): string {
  return result.status === "ERROR" ? "ERROR" : result.result;
}

export function colourOutcome(outcome: string, c: Colors): string {
  switch (outcome) {
    case "OK":
      return c.green(outcome);
    case "NOK":
      return c.red(outcome);
    case "ERROR":
      return c.bold(c.magenta(outcome));
    default:
      return c.yellow(outcome);
  }
}

function shortReason(summary: string, max = 110): string {
  const line = summary.split("\n")[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function duration(run: TestRun): string {
  if (!run.endedAt) return "";
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * One block per run: a header, one line per test case (object, type, scenario, result, reason)
 * with what a failing COMPARE or SCHEMA found under it, totals.
 */
export function renderRunSummary({ run, results }: RunWithResults, c: Colors, width = terminalWidth()): string {
  const runOutcome = run.status === "ERROR" || results.some((r) => r.status === "ERROR") ? "ERROR" : run.result;
  const header = `${c.bold(run.testSet.name)}  ${run.domain}/${run.stage}/${run.instance}  ${colourOutcome(runOutcome, c)} ${c.dim(`(${run.status}, run ${run.id})`)}`;
  const rows = results.map((r) => [colourOutcome(outcomeOf(r), c), r.object, r.type, r.scenario ?? "", shortReason(r.summary)]);
  const table =
    rows.length > 0
      ? renderTable(["RESULT", "OBJECT", "TYPE", "SCENARIO", "REASON"], rows, c.dim)
          .split("\n")
          .flatMap((line, i) => (i === 0 ? [line] : [line, ...renderDiffLines(results[i - 1]!, width - 2, c)]))
          .join("\n")
      : c.dim("(no test cases)");
  const { total, ok, nok, na, error } = run.counts;
  const totals = `${total} test case${total === 1 ? "" : "s"}: ${c.green(`${ok} OK`)}, ${c.red(`${nok} NOK`)}, ${c.yellow(`${na} N/A`)}, ${c.magenta(`${error} ERROR`)}${duration(run) ? ` in ${duration(run)}` : ""}`;
  const message = run.message ? `\n${c.yellow(run.message)}` : "";
  return `${header}\n${indent(table)}\n${indent(totals)}${message}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** 3 if anything is ERROR (a test case, or a run that could not start), 1 if any NOK or N/A, else 0. */
export function exitCodeOfRuns(runs: readonly RunWithResults[]): 0 | 1 | 3 {
  if (runs.some(({ run, results }) => run.status === "ERROR" || results.some((r) => r.status === "ERROR"))) return 3;
  if (runs.length === 0 || runs.some(({ run }) => run.result !== "OK")) return 1;
  return 0;
}
