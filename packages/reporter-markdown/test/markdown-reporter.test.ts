import { readFileSync } from "node:fs";
import { reportSourceOf, validatePluginModule } from "@assay/ports";
import { describeReporterContract, largeReportSource, renderToBuffer, SAMPLE_REPORT_RUNS } from "@assay/ports/testing";
import { describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin, { MarkdownOptions, MarkdownReporter } from "../src/index.js";

const context = { projectRoot: process.cwd(), warn: () => undefined };

describeReporterContract("markdown", () => plugin.create(MarkdownOptions.parse({}), context), { text: true });

async function render(source = reportSourceOf(SAMPLE_REPORT_RUNS), options: Partial<MarkdownOptions> = {}): Promise<string> {
  return (await renderToBuffer(new MarkdownReporter(MarkdownOptions.parse(options)), source)).toString("utf8");
}

describe("markdown reporter", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "reporter"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/reporter-markdown")).toBe(plugin);
  });

  it("starts with the status table per domain and stage, then one details block per failing test case", async () => {
    const md = await render();
    const lines = md.split("\n");
    expect(lines[0]).toBe("## assay: 2 runs");
    const table = lines.findIndex((l) => l.startsWith("| | Domain | Stage"));
    expect(table).toBeGreaterThan(0);
    // Both runs are at payments/test: one line, counts added up.
    expect(lines[table + 2]).toBe("| 💥 ERROR | payments | test | beta | Payments Mart, Payments Smoke | 6 | 2 | 2 | 1 | 1 | 7.0 s |");
    expect(lines[table + 3]).toBe("");
    expect(md.indexOf("| | Domain")).toBeLessThan(md.indexOf("<details>"));
    expect(md.match(/<details>/g)).toHaveLength(4);
    expect(md.match(/<\/details>/g)).toHaveLength(4);
    expect(md).toContain("### Failing test cases (4)");
  });

  it("shows a COMPARE's first differing rows: key, changed columns, expected and actual", async () => {
    const md = await render();
    expect(md).toContain("| account_id=7, booking_date=2026-01-01 | mismatch | total_amount | 1200.00 | 1300.00 |");
    expect(md).toContain("| account_id=9, booking_date=2026-01-02 | missing in actual | total_amount | 10.50 |  |");
    expect(md).toContain("| transaction_date | transaction_date `date` | transaction_date `VARCHAR` |");
    expect(md).toContain("| amount | amount `decimal(12,2)` | _(missing)_ |");
    expect(md).toContain("No raw files &lt;found&gt; &amp; nothing \"loaded\" in raw/accounts.");
    // eslint-disable-next-line no-control-regex
    expect(md).not.toMatch(/[\u0000-\u0008\u001b]/);
  });

  it("keeps a 2,000-test-case run under 65,536 characters and says what it left out", async () => {
    const md = await render(largeReportSource(2000, { failEvery: 2, diffRows: 40 }));
    expect(md.length).toBeLessThan(65_536);
    const shown = md.match(/<details>/g)!.length;
    expect(shown).toBeGreaterThan(10);
    expect(md.match(/<\/details>/g)!.length).toBe(shown);
    expect(md).toContain(`Cut to stay under 65,536 characters: ${(1000 - shown).toLocaleString("en-US")} of 1,000 failing test cases are not shown (${(1000 - shown).toLocaleString("en-US")} NOK)`);
    expect(md).toContain("_30 more differing rows in the stored result");
    expect(md.trimEnd().endsWith("--reporter html`.")).toBe(true);
  });

  it("honours a smaller limit", async () => {
    const md = await render(largeReportSource(300), { maxLength: 5_000 });
    expect(md.length).toBeLessThan(5_000);
    expect(md).toContain("Cut to stay under 5,000 characters");
  });

  it("says so when every test case is OK", async () => {
    const md = await render(reportSourceOf([SAMPLE_REPORT_RUNS[1]!]));
    expect(md).toContain("Every test case is OK.");
    expect(md).not.toContain("<details>");
    expect(md.split("\n")[0]).toBe("## assay: Payments Smoke (run 20260102T030500000Z-bbbbbb)");
  });
});
