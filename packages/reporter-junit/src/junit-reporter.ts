import {
  cellText,
  columnDiffOf,
  compareDiffOf,
  diffChanges,
  diffKindText,
  keyText,
  runDurationMs,
  secondsText,
  type CallOptions,
  type Reporter,
  type ReportSource,
  type TestCaseResult,
  type TestRun,
} from "@assay/ports";
import { z } from "zod";
import { escapeAttribute, escapeText } from "./xml-text.js";

export const JunitOptions = z.strictObject({
  /**
   * How an N/A test case (a precondition failed: no spec, no table) appears. `failure` (the
   * default) keeps the report in step with assay's exit code, which fails on N/A; `skipped`
   * shows it as skipped, for pipelines that gate on the exit code alone.
   */
  notApplicable: z.enum(["failure", "skipped"]).default("failure"),
  /** Differing rows written per test case in <system-out>. */
  maxDiffRows: z.number().int().min(0).max(10_000).default(20),
});
export type JunitOptions = z.output<typeof JunitOptions>;

/** Jenkins' schema wants timestamps without a zone; assay's are UTC. */
function timestamp(iso: string): string {
  return iso.slice(0, 19);
}

/** `attr="value"` pairs, escaped. */
function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`)
    .join("");
}

function properties(pairs: Array<[string, unknown]>, indent: string): string {
  if (pairs.length === 0) return "";
  const lines = pairs.map(([name, value]) => `${indent}  <property${attrs({ name, value: cellText(value) })}/>`);
  return `${indent}<properties>\n${lines.join("\n")}\n${indent}</properties>\n`;
}

/** The diff as text: SCHEMA's differing columns, COMPARE's first differing rows. */
export function diffText(result: TestCaseResult, maxRows: number): string {
  const lines: string[] = [];
  const columns = columnDiffOf(result).filter((c) => c.result === "NOK");
  for (const c of columns) {
    const expected = c.expected_column === null ? "(not specified)" : `${c.expected_column} ${c.expected_type ?? ""}`.trim();
    const actual = c.actual_column === null ? "(missing)" : `${c.actual_column} ${c.actual_type ?? ""}`.trim();
    lines.push(`column ${c.expected_column ?? c.actual_column}: expected ${expected}, actual ${actual}`);
  }
  const rows = compareDiffOf(result);
  for (const row of rows.slice(0, maxRows)) {
    const changes = diffChanges(row).map((ch) => `${ch.column}: ${ch.expected === undefined ? "-" : cellText(ch.expected)} → ${ch.actual === undefined ? "-" : cellText(ch.actual)}`);
    lines.push(`${keyText(row.key)} (${diffKindText(row)}): ${changes.join("; ")}`);
  }
  if (rows.length > maxRows) lines.push(`… ${rows.length - maxRows} more differing rows in the stored result`);
  for (const [name, value] of Object.entries(result.diff)) {
    if (name === "column_diff" || name === "compare_diff") continue;
    lines.push(`${name}: ${JSON.stringify(value)}`);
  }
  return lines.join("\n");
}

/** Counts as the testsuite attributes need them, from the run header. */
function suiteCounts(run: TestRun, options: JunitOptions): { tests: number; failures: number; errors: number; skipped: number } {
  const { total, nok, na, error } = run.counts;
  return options.notApplicable === "failure" ? { tests: total, failures: nok + na, errors: error, skipped: 0 } : { tests: total, failures: nok, errors: error, skipped: na };
}

/**
 * JUnit XML as GitHub's test-report actions, GitLab's `artifacts:reports:junit` and Jenkins read
 * it: one <testsuites>; one flat <testsuite> per run; one <testcase> per test case, classname
 * `domain.stage.instance`, name `object TYPE [scenario]`, unique in the file.
 */
export class JunitReporter implements Reporter {
  readonly extension = "xml";
  readonly mediaType = "application/xml";

  constructor(readonly options: JunitOptions = JunitOptions.parse({})) {}

  async *render(source: ReportSource, call: CallOptions = {}): AsyncIterable<string> {
    const { signal } = call;
    signal?.throwIfAborted();
    const totals = { tests: 0, failures: 0, errors: 0, time: 0 };
    for (const run of source.runs) {
      const counts = suiteCounts(run, this.options);
      totals.tests += counts.tests;
      totals.failures += counts.failures;
      totals.errors += counts.errors;
      totals.time += runDurationMs(run) ?? 0;
    }
    yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: "assay", tests: totals.tests, failures: totals.failures, errors: totals.errors, time: secondsText(totals.time) })}>\n`;
    const used = new Set<string>();
    for (const run of source.runs) {
      signal?.throwIfAborted();
      const counts = suiteCounts(run, this.options);
      yield `  <testsuite${attrs({
        name: `${run.testSet.name} (${run.domain}/${run.stage}/${run.instance})`,
        id: run.id,
        tests: counts.tests,
        failures: counts.failures,
        errors: counts.errors,
        skipped: counts.skipped,
        time: secondsText(runDurationMs(run)),
        timestamp: timestamp(run.startedAt),
        file: run.testSet.file,
      })}>\n`;
      yield properties(
        [
          ["assay.run", run.id],
          ["assay.testSet", run.testSet.name],
          ["assay.domain", run.domain],
          ["assay.stage", run.stage],
          ["assay.instance", run.instance],
          ["assay.status", run.status],
          ["assay.result", run.result],
          ["assay.startedAt", run.startedAt],
          ...(run.message ? [["assay.message", run.message] as [string, unknown]] : []),
        ],
        "    ",
      );
      for await (const result of source.results(run.id)) {
        signal?.throwIfAborted();
        yield this.#testcase(run, result, used);
      }
      yield "  </testsuite>\n";
    }
    yield "</testsuites>\n";
  }

  #testcase(run: TestRun, result: TestCaseResult, used: Set<string>): string {
    const classname = `${result.at.domain}.${result.at.stage}.${result.at.instance}`;
    const base = [result.object, result.type, result.scenario].filter((p) => p).join(" ");
    // Unique within the file: the same test case in two runs at the same place gets the test set.
    let name = base;
    if (used.has(`${classname}\u0000${name}`)) name = `${base} [${run.testSet.name}]`;
    for (let i = 2; used.has(`${classname}\u0000${name}`); i++) name = `${base} [${run.testSet.name} #${i}]`;
    used.add(`${classname}\u0000${name}`);

    let out = `    <testcase${attrs({ classname, name, time: secondsText(result.durationMs), file: result.specs[0] ?? run.testSet.file })}>\n`;
    out += properties([
      ["assay.id", result.id],
      ["assay.result", result.result],
      ["assay.status", result.status],
      ...result.specs.map((s): [string, unknown] => ["assay.spec", s]),
      ...result.facts.map((f): [string, unknown] => [f.name, f.value]),
    ], "      ");
    const message = result.summary;
    const body = [result.summary, ...result.details.map((d) => `${d.name}: ${cellText(d.value)}`)].join("\n");
    if (result.status === "ERROR") {
      out += `      <error${attrs({ message, type: "ERROR" })}>${escapeText(body)}</error>\n`;
    } else if (result.result === "NOK") {
      out += `      <failure${attrs({ message, type: "NOK" })}>${escapeText(result.summary)}</failure>\n`;
    } else if (result.result === "N/A") {
      out +=
        this.options.notApplicable === "skipped"
          ? `      <skipped${attrs({ message })}/>\n`
          : `      <failure${attrs({ message, type: "N/A" })}>${escapeText(result.summary)}</failure>\n`;
    }
    const diff = diffText(result, this.options.maxDiffRows);
    if (diff) out += `      <system-out>${escapeText(diff)}</system-out>\n`;
    return `${out}    </testcase>\n`;
  }
}
