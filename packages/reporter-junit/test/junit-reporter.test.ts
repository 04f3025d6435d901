import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { reportSourceOf, validatePluginModule, type ReportSource } from "@assay/ports";
import { describeReporterContract, largeReportSource, renderToBuffer, SAMPLE_REPORT_RUNS } from "@assay/ports/testing";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parse } from "test-results-parser";
import { describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin, { JunitOptions, JunitReporter } from "../src/index.js";

const context = { projectRoot: process.cwd(), warn: () => undefined };

describeReporterContract("junit", () => plugin.create(JunitOptions.parse({}), context), { text: true });

const dir = mkdtempSync(path.join(tmpdir(), "assay-junit-"));

async function render(source: ReportSource, options: Partial<JunitOptions> = {}): Promise<{ xml: string; file: string }> {
  const xml = (await renderToBuffer(new JunitReporter(JunitOptions.parse(options)), source)).toString("utf8");
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  return { xml, file };
}

/** What a consumer reads: test-results-parser, the JUnit reader of the testbeats reporting tool. */
function consume(file: string) {
  return parse({ type: "junit", files: [file] });
}

describe("junit reporter", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "reporter"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/reporter-junit")).toBe(plugin);
  });

  it("writes well-formed XML 1.0 without the characters it forbids", async () => {
    const { xml } = await render(reportSourceOf(SAMPLE_REPORT_RUNS));
    expect(XMLValidator.validate(xml)).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE]/);
    expect(xml).toContain("Exception: boom red  ünïcødé ✓ ]]&gt; end");
    expect(xml).toContain("weirdobject");
  });

  it("is read by a real consumer: one suite per run, one case per test case, NOK a failure, ERROR an error, N/A a failure", async () => {
    const { file } = await render(reportSourceOf(SAMPLE_REPORT_RUNS));
    const result = consume(file);
    expect(result.suites.map((s) => s.name)).toEqual(["Payments Mart (payments/test/beta)", "Payments Smoke (payments/test/beta)"]);
    const [mart, smoke] = result.suites;
    expect(mart!.cases.map((c) => [c.name, c.status])).toEqual([
      ["mart_account_payments_by_date SCHEMA", "PASS"],
      ["mart_account_payments_by_date COMPARE q4", "FAIL"],
      ["core_account_payments SCHEMA", "FAIL"],
      ["stage_accounts STAGECOUNT", "FAIL"],
      ["weirdobject DUMMY_EXCEPTION", "FAIL"],
    ]);
    expect(mart!.total).toBe(5);
    expect(mart!.failed).toBe(3);
    expect(mart!.errors).toBe(1);
    expect(smoke!.cases.map((c) => c.status)).toEqual(["PASS"]);
    const compare = mart!.cases[1]!;
    expect(compare.failure).toBe("3 of 100 rows differ: 1 missing, 1 extra, 1 mismatched (total_amount 1).");
    expect(compare.duration).toBe(250);
    // Facts are properties.
    expect(compare.metadata).toMatchObject({ "Expected rows": 100, "Primary keys": "account_id, booking_date", "assay.result": "NOK" });
    expect(result.total).toBe(6);
  });

  it("writes N/A as skipped when configured, with the reason", async () => {
    const { file, xml } = await render(reportSourceOf(SAMPLE_REPORT_RUNS), { notApplicable: "skipped" });
    const mart = consume(file).suites[0]!;
    expect(mart.cases.find((c) => c.name.startsWith("stage_accounts"))!.status).toBe("SKIP");
    expect(mart.skipped).toBe(1);
    expect(xml).toContain('<skipped message="No raw files &lt;found&gt; &amp; nothing &quot;loaded&quot; in raw/accounts."/>');
  });

  it("names test cases by place and test case, and puts the differing rows in system-out", async () => {
    const { xml } = await render(reportSourceOf(SAMPLE_REPORT_RUNS));
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["testsuite", "testcase", "property"].includes(name) }).parse(xml);
    const suite = doc.testsuites.testsuite[0];
    expect(suite["@_timestamp"]).toBe("2026-01-02T03:04:05");
    expect(suite["@_tests"]).toBe("5");
    const compare = suite.testcase[1];
    expect(compare["@_classname"]).toBe("payments.test.beta");
    expect(compare["@_name"]).toBe("mart_account_payments_by_date COMPARE q4");
    expect(compare.failure["@_type"]).toBe("NOK");
    expect(compare["system-out"]).toContain("account_id=7, booking_date=2026-01-01 (mismatch): total_amount: 1200.00 → 1300.00");
    expect(compare["system-out"]).toContain("account_id=9, booking_date=2026-01-02 (missing in actual): total_amount: 10.50 → -; n: 1 → -");
    const schema = suite.testcase[2];
    expect(schema["system-out"]).toContain("column transaction_date: expected transaction_date date, actual transaction_date VARCHAR");
    expect(schema["system-out"]).toContain("column amount: expected amount decimal(12,2), actual (missing)");
    const error = suite.testcase[4];
    expect(error.error["@_type"]).toBe("ERROR");
    expect(error.error["#text"]).toContain("Stack: Error: boom");
  });

  it("keeps test case names unique when two runs hold the same test case at the same place", async () => {
    const [first] = SAMPLE_REPORT_RUNS;
    const again = { run: { ...first!.run, id: "20260102T050000000Z-dddddd" }, results: first!.results.map((r) => ({ ...r, runId: "20260102T050000000Z-dddddd" })) };
    const { file } = await render(reportSourceOf([first!, again]));
    const names = consume(file).suites.flatMap((s) => s.cases.map((c) => `${c.name}`));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("mart_account_payments_by_date COMPARE q4 [Payments Mart]");
  });

  it("streams a run of 2,000 test cases into a file a consumer reads whole", async () => {
    const { file } = await render(largeReportSource(2000, { failEvery: 4, diffRows: 30 }), { maxDiffRows: 5 });
    const result = consume(file);
    expect(result.total).toBe(2000);
    expect(result.failed).toBe(500);
    expect(readFileSync(file, "utf8")).toContain("… 25 more differing rows in the stored result");
  });
});
