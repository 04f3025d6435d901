import { describe, expect, it } from "vitest";
import {
  columnDiffOf,
  compareDiffOf,
  outcomeOf,
  reportSourceOf,
  validateManifest,
  validatePortInstance,
  type AssayError,
  type Reporter,
} from "../src/index.js";
import { describeReporterContract, largeReportSource, SAMPLE_REPORT_RUNS } from "../src/testing/index.js";

/** The smallest honest reporter: one line per test case. The contract suite must pass it. */
const lines: Reporter = {
  extension: "txt",
  mediaType: "text/plain",
  async *render(source, options) {
    for (const run of source.runs) {
      options?.signal?.throwIfAborted();
      yield `${run.id} ${run.testSet.name}\n`;
      for await (const r of source.results(run.id)) yield `${outcomeOf(r)} ${r.object} ${r.type}\n`;
    }
  },
};

describeReporterContract("lines (a minimal reporter)", async () => lines, { text: true });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AssayError).code;
  }
  return undefined;
}

describe("reporter plugins", () => {
  it("have a manifest kind", () => {
    expect(validateManifest({ name: "x", assay: { apiVersion: 1, kind: "reporter", name: "junit" } }, "p").kind).toBe("reporter");
  });

  it("are checked against the port: render(), a lower-case extension and a media type", () => {
    expect(validatePortInstance("reporter", lines, "lines")).toBe(lines);
    expect(codeOf(() => validatePortInstance("reporter", { extension: "xml", mediaType: "text/xml" }, "x"))).toBe("PLUGIN_INSTANCE_INVALID");
    expect(codeOf(() => validatePortInstance("reporter", { ...lines, extension: ".XML" }, "x"))).toBe("PLUGIN_INSTANCE_INVALID");
    expect(codeOf(() => validatePortInstance("reporter", { ...lines, mediaType: undefined }, "x"))).toBe("PLUGIN_INSTANCE_INVALID");
  });
});

describe("reading stored diffs", () => {
  const [sample] = SAMPLE_REPORT_RUNS;
  it("gives COMPARE's differing rows and SCHEMA's column table, and [] for anything else", () => {
    const compare = sample!.results.find((r) => r.type === "COMPARE")!;
    const schema = sample!.results.find((r) => r.type === "SCHEMA" && r.result === "NOK")!;
    expect(compareDiffOf(compare).map((d) => d.kind)).toEqual(["mismatch", "missing", "extra"]);
    expect(columnDiffOf(schema).filter((c) => c.result === "NOK").map((c) => c.expected_column)).toEqual(["transaction_date", "amount"]);
    expect(compareDiffOf(schema)).toEqual([]);
    expect(compareDiffOf({ diff: { compare_diff: [{ kind: "nonsense" }] } })).toEqual([]);
  });
});

describe("large report sources", () => {
  it("generate the announced number of results, lazily", async () => {
    const source = largeReportSource(2000);
    let n = 0;
    for await (const r of source.results(source.runs[0]!.id)) {
      expect(r.runId).toBe(source.runs[0]!.id);
      n++;
    }
    expect(n).toBe(2000);
    expect(source.runs[0]!.counts.total).toBe(2000);
    expect(source.runs[0]!.testcases).toHaveLength(2000);
    const inMemory = reportSourceOf([]);
    expect(inMemory.runs).toEqual([]);
  });
});
