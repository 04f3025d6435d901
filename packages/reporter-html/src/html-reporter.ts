import {
  cellText,
  columnDiffOf,
  compareDiffOf,
  diffKindText,
  outcomeOf,
  runDurationMs,
  runOutcomeOf,
  type CallOptions,
  type DiffRow,
  type Outcome,
  type Reporter,
  type ReportSource,
  type TestCaseResult,
  type TestRun,
} from "@assay/ports";
import { z } from "zod";
import { PAGE_SCRIPT, PAGE_STYLE } from "./page-assets.js";

export const HtmlOptions = z.strictObject({
  /** The page title; default "assay report" with the test set of a single run. */
  title: z.string().min(1).optional(),
  /** Differing rows shown per COMPARE (the stored result holds at most maxDiffRows of the config). */
  maxDiffRows: z.number().int().min(0).max(100_000).default(100),
});
export type HtmlOptions = z.output<typeof HtmlOptions>;

// eslint-disable-next-line no-control-regex
const CONTROL = /\u001b\[[0-9;?]*[A-Za-z]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\uFFFE\uFFFF]/g;

/** Text and attribute values, escaped for HTML. */
export function esc(text: string): string {
  return text.replace(CONTROL, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function duration(ms: number | null): string {
  if (ms === null) return "";
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

const n = (value: number) => value.toLocaleString("en-US");

function outcomeBadge(outcome: Outcome): string {
  const cls = { OK: "ok", NOK: "nok", "N/A": "na", ERROR: "error" }[outcome];
  return `<span class="badge ${cls}">${outcome}</span>`;
}

function valueCell(value: unknown, changed: boolean): string {
  if (value === undefined) return `<td class="absent"></td>`;
  const cls = [changed ? "changed" : "", value === null ? "null" : ""].filter(Boolean).join(" ");
  return `<td${cls ? ` class="${cls}"` : ""}>${esc(cellText(value))}</td>`;
}

/** COMPARE's differing rows: key, then the expected and the actual row side by side. */
function compareTable(rows: DiffRow[], limit: number): string {
  if (rows.length === 0) return "";
  const shown = rows.slice(0, limit);
  const keys = Object.keys(shown[0]!.key);
  const columns: string[] = [];
  for (const row of shown) for (const c of Object.keys({ ...row.expected, ...row.actual })) if (!columns.includes(c) && !keys.includes(c)) columns.push(c);
  const head =
    `<thead><tr><th colspan="${keys.length + 1}">Key</th><th class="side" colspan="${columns.length}">Expected</th><th class="side" colspan="${columns.length}">Actual</th></tr>` +
    `<tr>${keys.map((k) => `<th>${esc(k)}</th>`).join("")}<th>difference</th>${columns.map((c) => `<th class="${c === columns[0] ? "side" : ""}">${esc(c)}</th>`).join("")}${columns.map((c) => `<th class="${c === columns[0] ? "side" : ""}">${esc(c)}</th>`).join("")}</tr></thead>`;
  const body = shown
    .map((row) => {
      const changed = new Set(row.kind === "mismatch" ? row.columns : columns);
      const side = (values: Record<string, unknown> | null) =>
        columns.map((c) => (values === null ? `<td class="absent"></td>` : valueCell(values[c], changed.has(c)))).join("");
      return `<tr class="${row.kind}">${keys.map((k) => `<td class="key">${esc(cellText(row.key[k]))}</td>`).join("")}<td>${esc(diffKindText(row))}</td>${side(row.expected)}${side(row.actual)}</tr>`;
    })
    .join("\n");
  const more = rows.length > shown.length ? `<p class="more">${n(rows.length - shown.length)} more differing rows are in the stored result.</p>` : "";
  return `<h4>Differing rows</h4><div class="scroll"><table class="diff">${head}<tbody>${body}</tbody></table></div>${more}`;
}

function schemaTable(result: TestCaseResult): string {
  const entries = columnDiffOf(result);
  if (entries.length === 0) return "";
  const body = entries
    .map((e) => {
      const nok = e.result === "NOK";
      return `<tr class="${nok ? "nokrow" : ""}"><td class="${e.result_column === "NOK" ? "changed" : ""}">${esc(e.expected_column ?? "")}</td><td class="${e.result_type === "NOK" ? "changed" : ""}">${esc(e.expected_type ?? "")}</td><td class="${e.result_column === "NOK" ? "changed" : ""}">${esc(e.actual_column ?? "")}</td><td class="${e.result_type === "NOK" ? "changed" : ""}">${esc(e.actual_type ?? "")}</td><td>${outcomeBadge(e.result)}</td></tr>`;
    })
    .join("\n");
  return `<h4>Columns</h4><div class="scroll"><table class="columns"><thead><tr><th>expected column</th><th>expected type</th><th>actual column</th><th>actual type</th><th>result</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

function factsList(result: TestCaseResult): string {
  const pairs = [...result.facts, ...result.details.filter((d) => typeof d.value !== "string" || d.value.length < 2_000)];
  const items = pairs.map((f) => `<dt>${esc(f.name)}</dt><dd>${esc(cellText(f.value))}</dd>`).join("");
  const specs = result.specs.map((s) => `<dt>spec</dt><dd><code>${esc(s)}</code></dd>`).join("");
  const other = Object.entries(result.diff)
    .filter(([k]) => k !== "compare_diff" && k !== "column_diff")
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd><code>${esc(JSON.stringify(v))}</code></dd>`)
    .join("");
  return items || specs || other ? `<dl>${items}${specs}${other}</dl>` : "";
}

/**
 * One self-contained HTML page (no network, no external assets: a Content-Security-Policy
 * forbids them) with filters by result, domain and type. Test cases are written as the store
 * hands them over; the page's script only shows and hides them.
 */
export class HtmlReporter implements Reporter {
  readonly extension = "html";
  readonly mediaType = "text/html";

  constructor(readonly options: HtmlOptions = HtmlOptions.parse({})) {}

  #testCase(run: TestRun, result: TestCaseResult): string {
    const outcome = outcomeOf(result);
    const name = [result.object, result.type, result.scenario].filter((p) => p).join(" ");
    const where = `${result.at.domain}/${result.at.stage}/${result.at.instance}`;
    const body = `${factsList(result)}${schemaTable(result)}${compareTable(compareDiffOf(result), this.options.maxDiffRows)}`;
    return (
      `<details class="tc" data-result="${esc(outcome)}" data-domain="${esc(result.at.domain)}" data-type="${esc(result.type)}" data-run="${esc(run.id)}">` +
      `<summary>${outcomeBadge(outcome)} <span class="name">${esc(name)}</span> <span class="where">${esc(where)}</span> <span class="dur">${duration(result.durationMs)}</span><div class="reason">${esc(result.summary)}</div></summary>` +
      `<div class="body">${body || "<p class=\"muted\">No further details.</p>"}</div></details>\n`
    );
  }

  async *render(source: ReportSource, call: CallOptions = {}): AsyncIterable<string> {
    const { signal } = call;
    signal?.throwIfAborted();
    const runs = source.runs;
    const title = this.options.title ?? (runs.length === 1 ? `assay report: ${runs[0]!.testSet.name}` : "assay report");
    const domains = [...new Set(runs.map((r) => r.domain))].sort();
    const types = [...new Set(runs.flatMap((r) => r.testcases.map((t) => t.type)))].sort();
    const total = runs.reduce((sum, r) => sum + r.counts.total, 0);
    const checkboxes = (group: string, values: string[], checked: (v: string) => boolean) =>
      values.map((v) => `<label><input type="checkbox" name="${group}" value="${esc(v)}"${checked(v) ? " checked" : ""}> ${esc(v)}</label>`).join(" ");
    const runRows = runs
      .map((r) => {
        const c = r.counts;
        return `<tr><td>${outcomeBadge(runOutcomeOf(r))}</td><td>${esc(r.testSet.name)}</td><td>${esc(`${r.domain}/${r.stage}/${r.instance}`)}</td><td class="num">${n(c.total)}</td><td class="num">${n(c.ok)}</td><td class="num">${n(c.nok)}</td><td class="num">${n(c.na)}</td><td class="num">${n(c.error)}</td><td>${esc(r.startedAt.replace("T", " ").slice(0, 19))} UTC</td><td class="num">${duration(runDurationMs(r))}</td><td><code>${esc(r.id)}</code></td></tr>`;
      })
      .join("\n");
    yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>${esc(title)}</h1></header>
<table class="runs"><thead><tr><th>result</th><th>test set</th><th>at</th><th>test cases</th><th>OK</th><th>NOK</th><th>N/A</th><th>ERROR</th><th>started</th><th>time</th><th>run</th></tr></thead>
<tbody>
${runRows}
</tbody></table>
<form id="filters" class="filters" autocomplete="off">
<fieldset><legend>Result</legend>${checkboxes("result", ["OK", "NOK", "N/A", "ERROR"], () => true)}</fieldset>
<fieldset><legend>Domain</legend>${checkboxes("domain", domains, () => true)}</fieldset>
<fieldset><legend>Type</legend>${checkboxes("type", types, () => true)}</fieldset>
<fieldset><legend>Find</legend><input type="search" name="text" placeholder="object, reason…"></fieldset>
<p id="shown" class="shown">${n(total)} of ${n(total)} test cases</p>
</form>
<main id="cases">
`;
    for (const run of runs) {
      for await (const result of source.results(run.id)) {
        signal?.throwIfAborted();
        yield this.#testCase(run, result);
      }
    }
    yield `</main>\n<script>${PAGE_SCRIPT}</script>\n</body>\n</html>\n`;
  }
}
