import {
  compareDiffOf,
  diffKindText,
  outcomeOf,
  type CallOptions,
  type Reporter,
  type ReportSource,
  type TestCaseResult,
  type TestRun,
} from "@assay/ports";
import { writeWorkbook, type XlsxCell, type XlsxWriteSheet } from "@assay/xlsx";
import { z } from "zod";
import { spreadsheetValue } from "./cell-value.js";

export const XlsxOptions = z.strictObject({
  /** Differing rows per COMPARE sheet. */
  maxDiffRows: z.number().int().min(0).max(1_000_000).default(10_000),
  /** At most this many COMPARE sheets; Excel slows down with thousands of sheets. */
  maxSheets: z.number().int().min(0).max(1_000).default(200),
});
export type XlsxOptions = z.output<typeof XlsxOptions>;

const FILL: Record<string, string> = { OK: "#DAFBE1", NOK: "#FFEBE9", "N/A": "#FFF8C5", ERROR: "#FBEFFF" };
const header = (titles: string[]): XlsxCell[] => titles.map((value) => ({ value, bold: true, fill: "#F6F8FA" }));

/** A failing COMPARE's differing rows: key columns, the difference, then expected and actual per column. */
function compareSheet(result: TestCaseResult, limit: number): XlsxWriteSheet {
  const rows = compareDiffOf(result).slice(0, limit);
  const keys = rows.length > 0 ? Object.keys(rows[0]!.key) : [];
  const columns: string[] = [];
  for (const row of rows) for (const c of Object.keys({ ...row.expected, ...row.actual })) if (!columns.includes(c) && !keys.includes(c)) columns.push(c);
  const data: XlsxCell[][] = [header([...keys, "difference", ...columns.flatMap((c) => [`${c} (expected)`, `${c} (actual)`])])];
  for (const row of rows) {
    const changed = new Set(row.kind === "mismatch" ? row.columns : columns);
    const cells: XlsxCell[] = [...keys.map((k) => spreadsheetValue(row.key[k])), diffKindText(row)];
    for (const c of columns) {
      for (const side of [row.expected, row.actual]) {
        const value = side === null ? null : spreadsheetValue(side[c]);
        cells.push(changed.has(c) && side !== null ? { value, fill: "#FFEBE9", bold: true } : value);
      }
    }
    data.push(cells);
  }
  // Excel allows 31 characters: the scenario is kept whole, the object cut (the Summary names it in full).
  const suffix = result.scenario ? ` ${result.scenario.slice(0, 12)}` : "";
  const name = `${result.object.slice(0, 31 - suffix.length)}${suffix}`;
  return { name, rows: data, widths: [...keys.map(() => 14), 18, ...columns.flatMap(() => [16, 16])], stickyRows: 1 };
}

/**
 * An Excel workbook for business readers: a Summary sheet with one row per test case, and one
 * sheet per failing COMPARE with its differing rows. Numbers are numbers and dates are dates.
 */
export class XlsxReporter implements Reporter {
  readonly extension = "xlsx";
  readonly mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  constructor(readonly options: XlsxOptions = XlsxOptions.parse({})) {}

  async *render(source: ReportSource, call: CallOptions = {}): AsyncIterable<Uint8Array> {
    const { signal } = call;
    signal?.throwIfAborted();
    const summary: XlsxCell[][] = [
      header(["result", "test set", "domain", "stage", "instance", "object", "type", "scenario", "summary", "seconds", "started", "run", "test case"]),
    ];
    const sheets: XlsxWriteSheet[] = [];
    let skippedSheets = 0;
    const add = (run: TestRun, r: TestCaseResult) => {
      const outcome = outcomeOf(r);
      summary.push([
        { value: outcome, bold: true, fill: FILL[outcome] },
        run.testSet.name,
        r.at.domain,
        r.at.stage,
        r.at.instance,
        r.object,
        r.type,
        r.scenario,
        r.summary,
        r.durationMs === null ? null : { value: r.durationMs / 1000, format: "0.000" },
        new Date(r.startedAt),
        run.id,
        r.id,
      ]);
      if (outcome === "NOK" && compareDiffOf(r).length > 0) {
        if (sheets.length < this.options.maxSheets) sheets.push(compareSheet(r, this.options.maxDiffRows));
        else skippedSheets++;
      }
    };
    for (const run of source.runs) {
      for await (const result of source.results(run.id)) {
        signal?.throwIfAborted();
        add(run, result);
      }
    }
    if (skippedSheets > 0) summary.push([], [`${skippedSheets} more failing COMPAREs have no sheet of their own (maxSheets ${this.options.maxSheets}).`]);
    const first: XlsxWriteSheet = { name: "Summary", rows: summary, widths: [8, 20, 12, 10, 10, 32, 12, 10, 70, 9, 20, 30, 40], stickyRows: 1 };
    yield await writeWorkbook([first, ...sheets]);
  }
}
