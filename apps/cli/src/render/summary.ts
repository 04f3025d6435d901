import { exitCodeOfResult, settleStoredRun, testCaseOutcome, type TestCaseResult, type TestRun } from "@assay/core";
import { printable } from "@assay/ports";
import type { Colors } from "./colors.js";
import { renderDiffLines, terminalWidth } from "./diff-lines.js";
import { renderTable, visibleLength } from "./table.js";

export interface RunWithResults {
  run: TestRun;
  results: TestCaseResult[];
}

export interface SummaryOptions {
  /** Terminal width: the reason column takes what the other columns leave. Absent (not a terminal): 110 characters. */
  width?: number;
  /** False when the live progress already printed each result on this terminal: header and totals only. */
  rows?: boolean;
}

/** What a test case shows in the RESULT column: ERROR for status ERROR, else its result (core's model). */
export function outcomeOf(result: Pick<TestCaseResult, "status" | "result">): string {
  return testCaseOutcome(result);
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

/** The reason's width in logs and pipes (`assay show` prints every non-OK reason in full below the table). */
const NOT_A_TERMINAL_REASON = 110;

function firstLine(summary: string): string {
  return printable(summary.split("\n")[0]!.trim());
}

function cut(text: string, max: number | undefined): string {
  return max === undefined || text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function duration(run: TestRun): string {
  if (!run.endedAt) return "";
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * One block per run: a header, one line per test case (object, type, scenario, result, reason),
 * totals; under a failing COMPARE or SCHEMA what it found. A run that did not finish (its process was killed) shows its stored results, the test
 * cases without one, and says it was interrupted.
 */
export function renderRunSummary(stored: RunWithResults, c: Colors, options: SummaryOptions = {}): string {
  const run = settleStoredRun(stored.run, stored.results);
  const { results } = stored;
  const status = run.status === "EXECUTING" && run.message?.startsWith("Interrupted") ? "INTERRUPTED" : run.status;
  const header = `${c.bold(printable(run.testSet.name))}  ${printable(`${run.domain}/${run.stage}/${run.instance}`)}  ${colourOutcome(run.result, c)} ${c.dim(`(${status}, run ${run.id})`)}`;
  const finished = new Set(results.map((r) => r.id));
  const rows = [
    ...results.map((r) => [colourOutcome(outcomeOf(r), c), printable(r.object), printable(r.type), printable(r.scenario ?? ""), firstLine(r.summary)]),
    ...run.testcases.filter((t) => !finished.has(t.id)).map((t) => [c.dim("-"), printable(t.object), printable(t.type), printable(t.scenario ?? ""), "no result: the run ended before this test case finished"]),
  ];
  const { total, ok, nok, na, error } = run.counts;
  const totals = `${total} test case${total === 1 ? "" : "s"}: ${c.green(`${ok} OK`)}, ${c.red(`${nok} NOK`)}, ${c.yellow(`${na} N/A`)}, ${c.magenta(`${error} ERROR`)}${duration(run) ? ` in ${duration(run)}` : ""}`;
  const message = run.message ? `\n${c.yellow(printable(run.message))}` : "";
  if (options.rows === false) return `${header}\n${indent(totals)}${message}`;
  const headers = ["RESULT", "OBJECT", "TYPE", "SCENARIO", "REASON"];
  let table = c.dim("(no test cases)");
  if (rows.length > 0) {
    // The reason takes the width the other columns and the indent leave, at least 20 characters.
    const others = headers.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i]!))));
    const room = options.width === undefined ? NOT_A_TERMINAL_REASON : Math.max(20, options.width - 2 - others.reduce((a, b) => a + b + 2, 0));
    const diffWidth = (options.width ?? terminalWidth()) - 2;
    table = renderTable(headers, rows.map((r) => [...r.slice(0, -1), cut(r[4]!, room)]), c.dim)
      .split("\n")
      .flatMap((line, i) => (i === 0 || i > results.length ? [line] : [line, ...renderDiffLines(results[i - 1]!, diffWidth, c)]))
      .join("\n");
  }
  return `${header}\n${indent(table)}\n${indent(totals)}${message}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** The exit code of the worst run result (core's model): 3 ERROR, 1 NOK or N/A (or no run at all), else 0. */
export function exitCodeOfRuns(runs: readonly RunWithResults[]): 0 | 1 | 3 {
  if (runs.length === 0) return 1;
  const codes = runs.map(({ run, results }) => exitCodeOfResult(settleStoredRun(run, results).result));
  return codes.includes(3) ? 3 : codes.includes(1) ? 1 : 0;
}
