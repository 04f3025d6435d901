import { describe, expect, it } from "vitest";
import { validatePortInstance } from "../plugin.js";
import { reportSourceOf, type Reporter, type ReportSource, type TestCaseResult } from "../reporter.js";
import { SAMPLE_REPORT_RUNS } from "./reporter-fixture.js";

export interface ReporterContractOptions {
  /** The reporter writes text (UTF-8): the contract then also checks what the text names. */
  text?: boolean;
}

/** Renders a report into one buffer (strings as UTF-8). */
export async function renderToBuffer(reporter: Reporter, source: ReportSource, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of reporter.render(source, signal ? { signal } : {})) {
    if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) throw new TypeError(`render() yielded a ${typeof chunk}, not a string or Uint8Array`);
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** A source that records how often each run's results were read, and whether to the end. */
function countingSource(): { source: ReportSource; reads: Map<string, number>; finished: Map<string, number> } {
  const inner = reportSourceOf(SAMPLE_REPORT_RUNS);
  const reads = new Map<string, number>();
  const finished = new Map<string, number>();
  return {
    reads,
    finished,
    source: {
      runs: inner.runs,
      async *results(runId: string): AsyncIterable<TestCaseResult> {
        reads.set(runId, (reads.get(runId) ?? 0) + 1);
        yield* inner.results(runId);
        finished.set(runId, (finished.get(runId) ?? 0) + 1);
      },
    },
  };
}

/** The Reporter port's contract. */
export function describeReporterContract(name: string, create: () => Promise<Reporter>, options: ReporterContractOptions = {}): void {
  describe(`Reporter contract: ${name}`, () => {
    it("implements the port", async () => {
      const reporter = await create();
      expect(validatePortInstance("reporter", reporter, name)).toBe(reporter);
      expect(reporter.extension).toMatch(/^[a-z0-9]+$/);
      expect(reporter.mediaType).toMatch(/^[a-z]+\/[a-z0-9.+-]+/);
    });

    it("renders runs of every outcome, reading each run's results once and to the end", async () => {
      const reporter = await create();
      const { source, reads, finished } = countingSource();
      const bytes = await renderToBuffer(reporter, source);
      expect(bytes.length).toBeGreaterThan(0);
      for (const run of source.runs) {
        expect(reads.get(run.id), `reads of run ${run.id}`).toBe(1);
        expect(finished.get(run.id), `complete reads of run ${run.id}`).toBe(1);
      }
      if (options.text) {
        const text = bytes.toString("utf8");
        for (const { run, results } of SAMPLE_REPORT_RUNS) {
          expect(text).toContain(run.id);
          // Control characters may be dropped or escaped: the printable parts must be there.
          // eslint-disable-next-line no-control-regex
          for (const r of results) for (const part of r.object.split(/[\u0000-\u001f]/)) expect(text).toContain(part);
        }
      }
    });

    it("renders a run without test cases", async () => {
      const reporter = await create();
      const { run } = SAMPLE_REPORT_RUNS[0]!;
      const empty = { ...run, id: "20260102T000000000Z-empty0", result: "N/A" as const, counts: { total: 0, ok: 0, nok: 0, na: 0, error: 0 }, testcases: [] };
      const bytes = await renderToBuffer(reporter, reportSourceOf([{ run: empty, results: [] }]));
      expect(bytes.length).toBeGreaterThan(0);
    });

    it("renders the same runs twice with one instance", async () => {
      const reporter = await create();
      const first = await renderToBuffer(reporter, reportSourceOf(SAMPLE_REPORT_RUNS));
      const second = await renderToBuffer(reporter, reportSourceOf(SAMPLE_REPORT_RUNS));
      expect(second.length).toBeGreaterThan(0);
      if (options.text) expect(second.toString("utf8")).toBe(first.toString("utf8"));
    });

    it("fails when reading the results fails, with that error", async () => {
      const reporter = await create();
      const inner = reportSourceOf(SAMPLE_REPORT_RUNS);
      const failure = new Error("the store went away");
      const source: ReportSource = {
        runs: inner.runs,
        // eslint-disable-next-line require-yield -- fails before its first result
        async *results() {
          throw failure;
        },
      };
      await expect(renderToBuffer(reporter, source)).rejects.toBe(failure);
    });

    it("stops when its signal is aborted", async () => {
      const reporter = await create();
      const controller = new AbortController();
      controller.abort(new Error("stop"));
      await expect(renderToBuffer(reporter, reportSourceOf(SAMPLE_REPORT_RUNS), controller.signal)).rejects.toThrow();
    });
  });
}
