import { readFileSync } from "node:fs";
import { reportSourceOf, TestCaseResult, TestRun, validatePluginModule } from "@assay/ports";
import { describeReporterContract, largeReportSource, renderToBuffer, SAMPLE_REPORT_RUNS } from "@assay/ports/testing";
import { describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin, { JsonReporter } from "../src/index.js";

describeReporterContract("json", () => plugin.create({}, { projectRoot: process.cwd(), warn: () => undefined }), { text: true });

describe("json reporter", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "reporter"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/reporter-json")).toBe(plugin);
  });

  it("writes exactly what JSON.stringify writes for the same runs", async () => {
    for (const runs of [SAMPLE_REPORT_RUNS, [], [{ ...SAMPLE_REPORT_RUNS[0]!, results: [] }]]) {
      const text = (await renderToBuffer(new JsonReporter(), reportSourceOf(runs))).toString("utf8");
      expect(text).toBe(`${JSON.stringify({ runs }, null, 2)}\n`);
    }
  });

  it("writes stored runs and results that read back valid", async () => {
    const text = (await renderToBuffer(new JsonReporter(), largeReportSource(500))).toString("utf8");
    const doc = JSON.parse(text) as { runs: Array<{ run: unknown; results: unknown[] }> };
    expect(TestRun.parse(doc.runs[0]!.run).counts.total).toBe(500);
    expect(doc.runs[0]!.results.map((r) => TestCaseResult.parse(r).object)).toHaveLength(500);
  });
});
