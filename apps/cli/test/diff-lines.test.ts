import type { TestCaseResult } from "@assay/ports";
import { SAMPLE_REPORT_RUNS, largeReportSource } from "@assay/ports/testing";
import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { renderDiffLines, terminalWidth } from "../src/render/diff-lines.js";
import { renderRunSummary } from "../src/render/summary.js";

const plain = pc.createColors(false);
const [sample] = SAMPLE_REPORT_RUNS;
const byType = (type: string, result = "NOK") => sample!.results.find((r) => r.type === type && r.result === result)!;

describe("differing rows on the terminal", () => {
  it("show a COMPARE's first differing rows: the key, then each changed column's expected and actual value", () => {
    expect(renderDiffLines(byType("COMPARE"), 100, plain)).toEqual([
      "    account_id=7, booking_date=2026-01-01  (mismatch)",
      "      total_amount: expected 1200.00, actual 1300.00",
      "    account_id=9, booking_date=2026-01-02  (missing in actual)",
      "      total_amount=10.50, n=1",
      "    account_id=11, booking_date=2026-01-03  (extra in actual)",
      "      total_amount=3.25, n=2",
    ]);
  });

  it("show a SCHEMA's differing columns", () => {
    expect(renderDiffLines(byType("SCHEMA"), 100, plain)).toEqual([
      "    transaction_date: expected date, actual VARCHAR",
      "    amount: missing (expected decimal(12,2))",
    ]);
  });

  it("fit the width and count what they leave out", async () => {
    const source = largeReportSource(1, { diffRows: 12 });
    const results: TestCaseResult[] = [];
    for await (const r of source.results(source.runs[0]!.id)) results.push(r);
    const result = results[0]!;
    const lines = renderDiffLines(result, 40, plain);
    expect(lines.every((l) => [...l].length <= 40)).toBe(true);
    expect(lines.at(-1)).toMatch(/^ {4}… 9 more differing rows \(assay/);
    expect(renderDiffLines(result, 200, plain).at(-1)).toBe(`    … 9 more differing rows (assay show ${source.runs[0]!.id} --json)`);
  });

  it("are shown under their row of the run summary, and nothing under OK, N/A or ERROR", () => {
    const text = renderRunSummary({ run: sample!.run, results: [...sample!.results] }, plain, { width: 80 });
    const lines = text.split("\n");
    const compare = lines.findIndex((l) => l.includes("COMPARE"));
    expect(lines[compare + 1]).toBe("      account_id=7, booking_date=2026-01-01  (mismatch)");
    const na = lines.findIndex((l) => l.includes("STAGECOUNT"));
    expect(lines[na + 1]).toMatch(/^ {2}ERROR /);
  });

  it("use 80 columns when the output is not a terminal", () => {
    expect(terminalWidth({ isTTY: false, columns: 200 } as NodeJS.WriteStream)).toBe(80);
    expect(terminalWidth({ isTTY: true, columns: 132 } as NodeJS.WriteStream)).toBe(132);
  });
});
