import { readFileSync } from "node:fs";
import { reportSourceOf, validatePluginModule } from "@assay/ports";
import { describeReporterContract, largeReportSource, renderToBuffer, SAMPLE_REPORT_RUNS } from "@assay/ports/testing";
import { readWorkbook } from "@assay/xlsx";
import { describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin, { spreadsheetValue, XlsxOptions, XlsxReporter } from "../src/index.js";

describeReporterContract("xlsx", () => plugin.create(XlsxOptions.parse({}), { projectRoot: process.cwd(), warn: () => undefined }));

describe("xlsx reporter", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "reporter"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/reporter-xlsx")).toBe(plugin);
  });

  it("writes a summary sheet and one sheet per failing COMPARE, read back with numbers as numbers and dates as dates", async () => {
    const bytes = await renderToBuffer(new XlsxReporter(), reportSourceOf(SAMPLE_REPORT_RUNS));
    const sheets = await readWorkbook(bytes);
    expect(sheets.map((s) => s.name)).toEqual(["Summary", "mart_account_payments_by_dat q4"]);
    const summary = sheets[0]!.rows;
    expect(summary[0]!.slice(0, 3)).toEqual(["result", "test set", "domain"]);
    expect(summary).toHaveLength(7);
    expect(summary[2]!.slice(0, 8)).toEqual(["NOK", "Payments Mart", "payments", "test", "beta", "mart_account_payments_by_date", "COMPARE", "q4"]);
    expect(summary[2]![9]).toBe(0.25);
    expect(summary[2]![10]).toBeInstanceOf(Date);
    // Excel keeps dates as fractions of a day: the millisecond may round.
    expect(Math.abs((summary[2]![10] as Date).getTime() - Date.parse("2026-01-02T03:04:06.000Z"))).toBeLessThanOrEqual(1);
    const diff = sheets[1]!.rows;
    expect(diff[0]).toEqual(["account_id", "booking_date", "difference", "total_amount (expected)", "total_amount (actual)", "n (expected)", "n (actual)"]);
    expect(diff[1]!.slice(0, 5)).toEqual([7, expect.any(Date), "mismatch", 1200, 1300]);
    expect((diff[1]![1] as Date).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(diff[2]!.slice(2, 5)).toEqual(["missing in actual", 10.5, null]);
    expect(diff[3]!.slice(2, 5)).toEqual(["extra in actual", null, 3.25]);
  });

  it("caps the number of COMPARE sheets and says so", async () => {
    const bytes = await renderToBuffer(new XlsxReporter(XlsxOptions.parse({ maxSheets: 5 })), largeReportSource(300, { failEvery: 10, diffRows: 3 }));
    const sheets = await readWorkbook(bytes);
    expect(sheets).toHaveLength(6);
    expect(sheets[0]!.rows).toHaveLength(1 + 300 + 2);
    expect(sheets[0]!.rows.at(-1)![0]).toBe("25 more failing COMPAREs have no sheet of their own (maxSheets 5).");
  });
});

describe("spreadsheet values", () => {
  it("turn exact decimals into numbers, ISO dates and UTC timestamps into dates, and keep everything else as text", () => {
    expect(spreadsheetValue("1200.00")).toBe(1200);
    expect(spreadsheetValue("-0.5")).toBe(-0.5);
    expect(spreadsheetValue("01234")).toBe("01234");
    expect(spreadsheetValue("12345678901234567890")).toBe("12345678901234567890");
    expect((spreadsheetValue("2026-02-03") as Date).toISOString()).toBe("2026-02-03T00:00:00.000Z");
    expect((spreadsheetValue("2026-02-03 04:05:06.789") as Date).toISOString()).toBe("2026-02-03T04:05:06.789Z");
    expect(spreadsheetValue("2026-02-30")).toBe("2026-02-30");
    expect(spreadsheetValue("africa")).toBe("africa");
    expect(spreadsheetValue(null)).toBeNull();
    expect(spreadsheetValue(true)).toBe(true);
  });
});
