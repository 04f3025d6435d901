import {
  cellText,
  columnDiffOf,
  compareDiffOf,
  diffChanges,
  diffKindText,
  keyText,
  outcomeOf,
  runDurationMs,
  runOutcomeOf,
  type CallOptions,
  type Outcome,
  type Reporter,
  type ReportSource,
  type TestCaseResult,
  type TestRun,
} from "@assay/ports";
import { z } from "zod";

export const MarkdownOptions = z.strictObject({
  /**
   * The report stays shorter than this many characters: 65,536 is GitHub's limit for a
   * pull-request comment (a step summary may hold 1 MiB). What does not fit is counted in a note.
   */
  maxLength: z.number().int().min(2_000).max(10_000_000).default(65_536),
  /** Differing rows shown per failing test case. */
  maxDiffRows: z.number().int().min(0).max(1_000).default(10),
  /** Longest value shown in a table cell before it is cut with "…". */
  maxCellLength: z.number().int().min(8).max(10_000).default(120),
});
export type MarkdownOptions = z.output<typeof MarkdownOptions>;

const ICON: Record<Outcome, string> = { OK: "✅", NOK: "❌", "N/A": "⚠️", ERROR: "💥" };

// eslint-disable-next-line no-control-regex
const CONTROL = /\u001b\[[0-9;?]*[A-Za-z]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text inside a table cell or a <summary>: one line, no pipes or tags that would break it. */
function inline(text: string, max: number): string {
  const one = text.replace(CONTROL, "").replace(/\s*\r?\n\s*/g, " ").trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/`/g, "\\`");
}

function duration(ms: number | null): string {
  if (ms === null) return "";
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

const n = (value: number) => value.toLocaleString("en-US");

/** The status table: one line per domain and stage, over every run reported. */
function statusTable(runs: readonly TestRun[]): string {
  const groups = new Map<string, { domain: string; stage: string; instances: Set<string>; sets: Set<string>; counts: Record<"total" | "ok" | "nok" | "na" | "error", number>; outcomes: Outcome[]; ms: number }>();
  for (const run of runs) {
    const key = `${run.domain}\u0000${run.stage}`;
    const g = groups.get(key) ?? { domain: run.domain, stage: run.stage, instances: new Set(), sets: new Set(), counts: { total: 0, ok: 0, nok: 0, na: 0, error: 0 }, outcomes: [], ms: 0 };
    g.instances.add(run.instance);
    g.sets.add(run.testSet.name);
    for (const k of ["total", "ok", "nok", "na", "error"] as const) g.counts[k] += run.counts[k];
    g.outcomes.push(runOutcomeOf(run));
    g.ms += runDurationMs(run) ?? 0;
    groups.set(key, g);
  }
  const worst = (outcomes: Outcome[]): Outcome =>
    outcomes.includes("ERROR") ? "ERROR" : outcomes.includes("NOK") ? "NOK" : outcomes.includes("N/A") ? "N/A" : "OK";
  const lines = [
    "| | Domain | Stage | Instances | Test sets | Test cases | OK | NOK | N/A | ERROR | Time |",
    "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const g of [...groups.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.stage.localeCompare(b.stage))) {
    const o = worst(g.outcomes);
    lines.push(
      `| ${ICON[o]} ${o} | ${inline(g.domain, 60)} | ${inline(g.stage, 60)} | ${inline([...g.instances].join(", "), 80)} | ${inline([...g.sets].join(", "), 200)} | ${n(g.counts.total)} | ${n(g.counts.ok)} | ${n(g.counts.nok)} | ${n(g.counts.na)} | ${n(g.counts.error)} | ${duration(g.ms)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Markdown for GitHub step summaries and pull-request comments: the status table first, then
 * each failing test case in a <details> block with its first differing rows; cut to stay under
 * `maxLength` characters, with a note saying what was left out.
 */
export class MarkdownReporter implements Reporter {
  readonly extension = "md";
  readonly mediaType = "text/markdown";

  constructor(readonly options: MarkdownOptions = MarkdownOptions.parse({})) {}

  #cell(value: unknown): string {
    return value === undefined ? "" : inline(cellText(value), this.options.maxCellLength);
  }

  /** One failing test case as a <details> block. */
  details(run: TestRun, result: TestCaseResult): string {
    const outcome = outcomeOf(result);
    const name = [result.object, result.type, result.scenario].filter((p) => p).join(" ");
    const where = `${result.at.domain}/${result.at.stage}/${result.at.instance}`;
    const lines = [
      "<details>",
      `<summary>${ICON[outcome]} <b>${outcome}</b> ${inline(name, 200)} <i>(${inline(where, 120)}, ${inline(run.testSet.name, 80)})</i>: ${inline(result.summary, 300)}</summary>`,
      "",
    ];
    const facts = result.facts.filter((f) => f.value !== null && f.value !== "");
    if (facts.length > 0) lines.push(facts.map((f) => `${inline(f.name, 60)}: **${this.#cell(f.value)}**`).join(" · "), "");
    const columns = columnDiffOf(result).filter((c) => c.result === "NOK");
    if (columns.length > 0) {
      lines.push("| Column | Expected | Actual |", "|---|---|---|");
      for (const c of columns) {
        const expected = c.expected_column === null ? "_(not specified)_" : `${this.#cell(c.expected_column)} \`${this.#cell(c.expected_type ?? "")}\``;
        const actual = c.actual_column === null ? "_(missing)_" : `${this.#cell(c.actual_column)} \`${this.#cell(c.actual_type ?? "")}\``;
        lines.push(`| ${this.#cell(c.expected_column ?? c.actual_column)} | ${expected} | ${actual} |`);
      }
      lines.push("");
    }
    const rows = compareDiffOf(result);
    if (rows.length > 0) {
      lines.push("| Key | Difference | Column | Expected | Actual |", "|---|---|---|---|---|");
      for (const row of rows.slice(0, this.options.maxDiffRows)) {
        const changes = diffChanges(row);
        changes.forEach((ch, i) => {
          const first = i === 0;
          lines.push(`| ${first ? this.#cell(keyText(row.key)) : ""} | ${first ? diffKindText(row) : ""} | ${this.#cell(ch.column)} | ${this.#cell(ch.expected)} | ${this.#cell(ch.actual)} |`);
        });
        if (changes.length === 0) lines.push(`| ${this.#cell(keyText(row.key))} | ${diffKindText(row)} | | | |`);
      }
      const more = rows.length - Math.min(rows.length, this.options.maxDiffRows);
      if (more > 0) lines.push("", `_${n(more)} more differing row${more === 1 ? "" : "s"} in the stored result (\`assay show ${run.id}\`)._`);
      lines.push("");
    }
    lines.push("</details>", "");
    return `${lines.join("\n")}\n`;
  }

  async *render(source: ReportSource, call: CallOptions = {}): AsyncIterable<string> {
    const { signal } = call;
    signal?.throwIfAborted();
    const { maxLength } = this.options;
    const runs = source.runs;
    const failing = runs.reduce((sum, r) => sum + r.counts.total - r.counts.ok, 0);
    const title = runs.length === 1 ? `## assay: ${inline(runs[0]!.testSet.name, 200)} (run ${runs[0]!.id})` : `## assay: ${runs.length} runs`;
    const ids = runs.length > 1 ? `\nRuns: ${runs.map((r) => `\`${r.id}\` ${inline(r.testSet.name, 80)}`).join(", ")}\n` : "";
    const head = `${title}\n${ids}\n${statusTable(runs)}\n${failing > 0 ? `### Failing test cases (${n(failing)})\n\n` : "Every test case is OK.\n"}`;
    // The note about what was left out must always fit.
    const reserve = 600;
    let budget = maxLength - 1 - reserve - head.length;
    if (budget < 0) throw new Error(`The Markdown report's status table alone is longer than maxLength (${maxLength}); raise maxLength.`);
    yield head;
    const omitted: Record<Outcome, number> = { OK: 0, NOK: 0, "N/A": 0, ERROR: 0 };
    let omittedTotal = 0;
    for (const run of runs) {
      for await (const result of source.results(run.id)) {
        signal?.throwIfAborted();
        const outcome = outcomeOf(result);
        if (outcome === "OK") continue;
        const block = omittedTotal > 0 ? "" : this.details(run, result);
        if (omittedTotal === 0 && block.length <= budget) {
          budget -= block.length;
          yield block;
          continue;
        }
        omitted[outcome]++;
        omittedTotal++;
      }
    }
    if (omittedTotal > 0) {
      const kinds = (["NOK", "N/A", "ERROR"] as const).filter((k) => omitted[k] > 0).map((k) => `${n(omitted[k])} ${k}`);
      yield `> [!NOTE]\n> Cut to stay under ${n(maxLength)} characters: ${n(omittedTotal)} of ${n(failing)} failing test cases are not shown (${kinds.join(", ")}). ` +
        `The stored run${runs.length === 1 ? "" : "s"} hold${runs.length === 1 ? "s" : ""} them all: \`assay show ${runs.length === 1 ? runs[0]!.id : "<run>"}\`, or render the HTML report with \`assay report ${runs.length === 1 ? runs[0]!.id : "<run>"} --reporter html\`.\n`;
    }
  }
}
