import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { reportSourceOf, validatePluginModule, type ReportSource } from "@assay/ports";
import { describeReporterContract, largeReportSource, renderToBuffer, SAMPLE_REPORT_RUNS } from "@assay/ports/testing";
import { beforeAll, describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin, { HtmlOptions, HtmlReporter } from "../src/index.js";
import { ensureChromium, openInChromium } from "../src/testing/chromium.js";

describeReporterContract("html", () => plugin.create(HtmlOptions.parse({}), { projectRoot: process.cwd(), warn: () => undefined }), { text: true });

const dir = mkdtempSync(path.join(tmpdir(), "assay-html-"));

async function renderFile(source: ReportSource, name: string): Promise<string> {
  const file = path.join(dir, name);
  writeFileSync(file, await renderToBuffer(new HtmlReporter(), source));
  return file;
}

describe("html reporter", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "reporter"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/reporter-html")).toBe(plugin);
  });

  it("is one file that references nothing outside itself", async () => {
    const html = (await renderToBuffer(new HtmlReporter(), reportSourceOf(SAMPLE_REPORT_RUNS))).toString("utf8");
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).not.toMatch(/url\(|@import|https?:\/\//);
    // Text is escaped, control characters dropped.
    expect(html).toContain("No raw files &lt;found&gt; &amp; nothing &quot;loaded&quot;");
    expect(html).toContain("weirdobject DUMMY_EXCEPTION");
    // eslint-disable-next-line no-control-regex
    expect(html).not.toMatch(/[\u0000-\u0008\u001b]/);
  });
});

// Debian's chromium, installed by this set-up where it can be (root with apt-get).
const unavailable = ensureChromium();
if (unavailable) console.log(`HTML report browser tests: skipped, because ${unavailable}.`);

describe("html report in Chromium", () => {
  let sample: string;
  let large: string;
  beforeAll(async () => {
    sample = await renderFile(reportSourceOf(SAMPLE_REPORT_RUNS), "sample.html");
    large = await renderFile(largeReportSource(2000, { failEvery: 5, diffRows: 20 }), "large.html");
  });

  it("loads without console errors or network requests, filters by result, domain and type, and renders a screenshot", async (ctx) => {
    if (unavailable) ctx.skip();
    const opened = await openInChromium(sample);
    try {
      const { page } = opened;
      const visible = () => page.locator("details.tc:visible").count();
      expect(await page.locator("details.tc").count()).toBe(6);
      expect(await visible()).toBe(6);
      await expect(page.locator("#shown").textContent()).resolves.toBe("6 of 6 test cases");

      await page.locator('input[name="result"][value="OK"]').uncheck();
      expect(await visible()).toBe(4);
      await expect(page.locator("#shown").textContent()).resolves.toBe("4 of 6 test cases");
      await page.locator('input[name="type"][value="COMPARE"]').uncheck();
      expect(await visible()).toBe(3);
      await page.locator('input[name="domain"][value="payments"]').uncheck();
      expect(await visible()).toBe(0);
      await page.locator('input[name="domain"][value="payments"]').check();
      await page.locator('input[name="type"][value="COMPARE"]').check();
      await page.locator('input[name="text"]').fill("core_account");
      expect(await visible()).toBe(1);
      await page.locator('input[name="text"]').fill("");
      await page.locator('input[name="result"][value="OK"]').check();

      // The COMPARE's differing rows, side by side, the changed cells highlighted.
      const compare = page.locator('details.tc[data-type="COMPARE"]');
      await compare.locator("summary").click();
      const changed = compare.locator("td.changed");
      expect(await changed.allTextContents()).toEqual(["1200.00", "1300.00", "10.50", "1", "3.25", "2"]);
      const schema = page.locator('details.tc[data-type="SCHEMA"][data-result="NOK"]');
      await schema.locator("summary").click();
      expect(await schema.locator("table.columns tbody tr").count()).toBe(3);

      const shot = path.join(dir, "sample.png");
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      console.log(`HTML report screenshot: ${shot}`);
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it("stays usable with 2,000 test cases: loads, filters and opens a test case", async (ctx) => {
    if (unavailable) ctx.skip();
    const opened = await openInChromium(large);
    try {
      const { page } = opened;
      expect(await page.locator("details.tc").count()).toBe(2000);
      await page.locator('input[name="result"][value="OK"]').uncheck();
      await expect(page.locator("#shown").textContent()).resolves.toBe("400 of 2,000 test cases");
      const first = page.locator("details.tc:visible").first();
      await first.locator("summary").click();
      expect(await first.locator("table.diff tbody tr").count()).toBe(20);
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
