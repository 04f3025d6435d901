import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readWorkbook } from "@assay/xlsx";
import { ensureChromium, openInChromium } from "@assay/reporter-html/testing";
import { parse as parseJunit } from "test-results-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "./helpers.js";

/**
 * Reports of the demo's failing test sets, end to end: `assay run … --reporter` in the demo
 * project, each report checked the way its readers read it (JUnit by a consumer's parser, HTML
 * in Chromium, xlsx read back, Markdown within its limit), and `assay report` on stored runs.
 */
let work: string;
let cwd: string;
let run: CliResult;
const FAILING = ["Payments Partial", "Payments Mart", "Payments UAT", "Sales Validation"];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "assay-reports-"));
  const demo = await runCli(["demo", "--dir", "demo"], { cwd: work, timeoutMs: 280_000 });
  if (demo.code !== 0) throw new Error(`assay demo failed (${demo.code}): ${demo.stderr}`);
  cwd = path.join(work, "demo");
  run = await runCli(
    ["run", ...FAILING, "--reporter", "junit", "--reporter", "markdown", "--reporter", "html", "--reporter", "xlsx", "--reporter", "junit=ci/junit.xml"],
    { cwd, env: { GITHUB_STEP_SUMMARY: path.join(work, "step-summary.md"), NO_COLOR: "1" }, timeoutMs: 200_000 },
  );
}, 500_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The run ids of the invocation, in order, from the report paths it printed. */
function reportPaths(stdout: string, reporter: string): string[] {
  return [...stdout.matchAll(new RegExp(`^ {2}${reporter} +(\\S+)$`, "gm"))].map((m) => path.resolve(cwd, m[1]!));
}

describe("assay run --reporter in the demo project", () => {
  it("runs, writes one report per run and reporter under .assay/reports, and prints their paths", async () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    for (const [reporter, ext] of [["junit", "xml"], ["markdown", "md"], ["html", "html"], ["xlsx", "xlsx"]] as const) {
      const paths = reportPaths(run.stdout, reporter).filter((p) => p.includes(`${path.sep}.assay${path.sep}reports${path.sep}`));
      expect(paths, reporter).toHaveLength(4);
      for (const p of paths) {
        expect(p).toMatch(new RegExp(`\\d{8}T\\d{9}Z-[0-9a-f]{6}\\.${ext}$`));
        expect((await stat(p)).size).toBeGreaterThan(100);
      }
    }
    expect(reportPaths(run.stdout, "junit")).toContain(path.join(cwd, "ci/junit.xml"));
    expect(run.stdout).toMatch(/^ {2}markdown +\$GITHUB_STEP_SUMMARY$/m);
  });

  it("shows each failing COMPARE's differing rows and each failing SCHEMA's columns on the terminal, within 80 columns", () => {
    const lines = run.stdout.split("\n");
    const compare = lines.findIndex((l) => /^ {2}NOK +mart_account_payments_by_date +COMPARE/.test(l));
    expect(lines[compare + 1]).toMatch(/^ {6}account_id=\d+, transaction_date=\d{4}-\d{2}-\d{2} {2}\(mismatch\)$/);
    expect(lines[compare + 2]).toMatch(/^ {8}total_amount: expected [\d.]+, actual [\d.]+$/);
    const [, expected, actual] = /expected ([\d.]+), actual ([\d.]+)/.exec(lines[compare + 2]!)!;
    expect(Number(actual) - Number(expected)).toBeCloseTo(100, 2);
    const schema = lines.findIndex((l) => /^ {2}NOK +core_account_payments +SCHEMA/.test(l));
    expect(lines[schema + 1]).toMatch(/^ {6}transaction_date: expected date, actual /);
    const missing = lines.findIndex((l) => /^ {2}NOK +core_customer_transactions +COMPARE/.test(l));
    expect(lines[missing + 1]).toMatch(/\(missing in actual\)$/);
    expect(lines.slice(missing + 1, missing + 8).every((l) => l.length <= 80)).toBe(true);
  });

  it("writes JUnit XML that a consumer's parser reads: one suite per run, the demo's NOK test cases failed", async () => {
    const result = parseJunit({ type: "junit", files: [path.join(cwd, "ci/junit.xml")] });
    expect(result.suites.map((s) => s.name.replace(/ \(.*\)$/, ""))).toEqual(FAILING);
    const failed = result.suites.flatMap((s) => s.cases.filter((c) => c.status === "FAIL").map((c) => c.name));
    expect(failed.sort()).toEqual(
      ["core_account_payments SCHEMA", "core_customer_transactions COMPARE", "mart_account_payments_by_date COMPARE", "stage_transactions STAGECOUNT"].sort(),
    );
    expect(result.failed).toBe(4);
    expect(result.total).toBe(result.suites.reduce((n, s) => n + s.cases.length, 0));
    const xml = await readFile(path.join(cwd, "ci/junit.xml"), "utf8");
    expect(xml).toMatch(/<testcase classname="payments\.test\.beta" name="mart_account_payments_by_date COMPARE"/);
    expect(xml).toMatch(/<system-out>account_id=\d+, transaction_date=[\d-]+ \(mismatch\): total_amount: [\d.]+ → [\d.]+<\/system-out>/);
  });

  it("writes Markdown with the status table first and the differing rows, and appends it to the step summary", async () => {
    const [mart] = reportPaths(run.stdout, "markdown").filter((p) => p.endsWith(".md") && p.includes(".assay")).slice(1, 2);
    const md = await readFile(mart!, "utf8");
    expect(md.length).toBeLessThan(65_536);
    expect(md.indexOf("| | Domain | Stage")).toBeLessThan(md.indexOf("<details>"));
    expect(md).toMatch(/\| account_id=\d+, transaction_date=[\d-]+ \| mismatch \| total_amount \| [\d.]+ \| [\d.]+ \|/);
    const summary = await readFile(path.join(work, "step-summary.md"), "utf8");
    expect(summary).toContain("## assay: 4 runs");
    expect(summary.match(/<details>/g)).toHaveLength(4);
  });

  it("writes xlsx with a summary sheet and the differing rows of each failing COMPARE, numbers as numbers and dates as dates", async () => {
    const [, mart] = reportPaths(run.stdout, "xlsx");
    const sheets = await readWorkbook(await readFile(mart!));
    expect(sheets.map((s) => s.name)).toEqual(["Summary", "mart_account_payments_by_date"]);
    expect(sheets[0]!.rows.slice(1).map((r) => r[0])).toEqual(["OK", "OK", "NOK"]);
    const [head, row] = sheets[1]!.rows;
    expect(head!.slice(0, 3)).toEqual(["account_id", "transaction_date", "difference"]);
    expect(typeof row![0]).toBe("number");
    expect(row![1]).toBeInstanceOf(Date);
    const column = (title: string) => row![head!.indexOf(title)] as number;
    expect(column("total_amount (actual)") - column("total_amount (expected)")).toBeCloseTo(100, 2);
  });

  it("writes HTML that Chromium shows without errors or requests, with the changed cell highlighted", async (ctx) => {
    const unavailable = ensureChromium();
    if (unavailable) {
      console.log(`HTML report browser test: skipped, because ${unavailable}.`);
      ctx.skip();
    }
    const [, mart] = reportPaths(run.stdout, "html");
    const opened = await openInChromium(mart!);
    try {
      const compare = opened.page.locator('details.tc[data-type="COMPARE"]');
      await compare.locator("summary").click();
      const changed = await compare.locator("td.changed").allTextContents();
      expect(changed).toHaveLength(2);
      expect(Number(changed[1]) - Number(changed[0])).toBeCloseTo(100, 2);
      await opened.page.locator('input[name="result"][value="OK"]').uncheck();
      expect(await opened.page.locator("details.tc:visible").count()).toBe(1);
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

describe("assay report", () => {
  it("renders a stored run again into the reports folder, named by its run id", async () => {
    const result = await runCli(["report", "latest", "--reporter", "junit", "--reporter", "json"], { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const files = await readdir(path.join(cwd, ".assay/reports"));
    const [xml] = reportPaths(result.stdout, "junit");
    expect(files).toContain(path.basename(xml!));
    const doc = JSON.parse(await readFile(reportPaths(result.stdout, "json")[0]!, "utf8")) as { runs: Array<{ run: { testSet: { name: string } } }> };
    expect(doc.runs[0]!.run.testSet.name).toBe("Sales Validation");
  });

  it("uses the config's reporters: with their options, and refuses a bad option at its line", async () => {
    const base = await readFile(path.join(cwd, "assay.config.yaml"), "utf8");
    await writeFile(path.join(cwd, "with-reporters.yaml"), `${base}\nreporters:\n  - { use: junit, file: out/na.xml, options: { notApplicable: skipped } }\n`);
    const good = await runCli(["--config", "with-reporters.yaml", "report", "latest"], { cwd });
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^ {2}junit +out\/na\.xml$/m);
    await writeFile(path.join(cwd, "bad-reporters.yaml"), `${base}\nreporters:\n  - { use: junit, options: { notApplicable: maybe } }\n`);
    const bad = await runCli(["--config", "bad-reporters.yaml", "report", "latest"], { cwd });
    expect(bad.code).toBe(2);
    const line = base.split("\n").length + 2;
    expect(bad.stderr).toContain(`bad-reporters.yaml:${line}`);
    expect(bad.stderr).toContain("reporters.0.options.notApplicable");
  });

  it("asks for a reporter when none is selected, and names an unknown one", async () => {
    const none = await runCli(["report", "latest"], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("No reporter is selected");
    const unknown = await runCli(["report", "latest", "--reporter", "pdf"], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No reporter plugin named "pdf" is installed');
  });
});
