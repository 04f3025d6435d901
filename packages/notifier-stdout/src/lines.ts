import { printable, type RunCounts, type RunEventOf, type RunResult, type TestStatus } from "@assay/ports";
import type { Colors } from "./terminal.js";

/** What names a test case on screen: `stage_accounts SCHEMA [q4]`. */
export function testCaseLabel(event: { object: string; testType: string; scenario: string | null }): string {
  return printable(`${event.object} ${event.testType}${event.scenario ? ` [${event.scenario}]` : ""}`);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
}

/** A test case's outcome word: ERROR when it could not run, else its result. A run's result already is the word. */
function outcome(result: RunResult, status: TestStatus): string {
  return status === "ERROR" ? "ERROR" : result;
}

function paintOutcome(word: string, c: Colors): string {
  const padded = word.padEnd(6);
  if (word === "OK") return c.green(padded);
  if (word === "NOK") return c.red(padded);
  if (word === "N/A") return c.yellow(padded);
  return c.magenta(c.bold(padded));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function runStartedLine(e: RunEventOf<"run.started">, c: Colors): string {
  return c.bold(`Run ${e.runId} started: ${printable(`${e.testSet} (${e.domain}/${e.stage}/${e.instance})`)}, ${plural(e.total, "test case")}`);
}

export function startedLine(e: RunEventOf<"testcase.started">, c: Colors): string {
  return `${c.cyan("START ")} ${testCaseLabel(e)}`;
}

export function preconditionLine(e: RunEventOf<"testcase.precondition">, c: Colors): string {
  const verdict = e.passed ? c.green("passed") : c.yellow("failed");
  return c.dim("  CHECK ") + ` ${testCaseLabel(e)}: ${e.check}: ${verdict}${e.message ? ` (${printable(e.message)})` : ""}`;
}

export function stepLine(e: RunEventOf<"testcase.step">, c: Colors): string {
  return c.dim("  STEP  ") + ` ${testCaseLabel(e)}: ${e.step} ${c.dim(`(${formatDuration(e.durationMs)})`)}`;
}

export function finishedLine(e: RunEventOf<"testcase.finished">, c: Colors): string {
  const summary = e.summary ? `: ${printable(e.summary)}` : "";
  return `${paintOutcome(outcome(e.result, e.status), c)} ${testCaseLabel(e)} ${c.dim(`(${formatDuration(e.durationMs)})`)}${summary}`;
}

/** `testCase` is the label of the warning's test case when it is known. */
export function warningLine(e: RunEventOf<"warning">, testCase: string | undefined, c: Colors): string {
  return `${c.yellow("WARN  ")} ${testCase ? `${testCase}: ` : ""}${printable(e.message)}`;
}

export function countsText(counts: RunCounts): string {
  return `${counts.ok} OK, ${counts.nok} NOK, ${counts.na} N/A, ${counts.error} ERROR`;
}

/** The run's one result, as core computed it (the same word as the table, the JSON and the exit code). */
export function runFinishedLine(e: RunEventOf<"run.finished">, c: Colors): string {
  const word = e.result;
  const painted = word === "OK" ? c.green(word) : word === "ERROR" ? c.magenta(word) : c.red(word);
  return c.bold(`Run ${e.runId} finished: `) + c.bold(painted) + ` in ${formatDuration(e.durationMs)}. ${plural(e.counts.total, "test case")}: ${countsText(e.counts)}`;
}
