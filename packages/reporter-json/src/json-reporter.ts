import type { CallOptions, Reporter, ReportSource } from "@assay/ports";
import { z } from "zod";

export const JsonReportOptions = z.strictObject({});
export type JsonReportOptions = z.output<typeof JsonReportOptions>;

function indented(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${"  ".repeat(depth)}`);
}

/**
 * `{ "runs": [{ "run": …, "results": [ … ] }] }`: the document `assay run --json` prints, with
 * the same two-space indentation, written one result at a time.
 */
export class JsonReporter implements Reporter {
  readonly extension = "json";
  readonly mediaType = "application/json";

  async *render(source: ReportSource, call: CallOptions = {}): AsyncIterable<string> {
    call.signal?.throwIfAborted();
    if (source.runs.length === 0) {
      yield '{\n  "runs": []\n}\n';
      return;
    }
    yield '{\n  "runs": [';
    let firstRun = true;
    for (const run of source.runs) {
      yield `${firstRun ? "" : ","}\n    {\n      "run": ${indented(run, 3)},\n      "results": [`;
      firstRun = false;
      let first = true;
      for await (const result of source.results(run.id)) {
        call.signal?.throwIfAborted();
        yield `${first ? "" : ","}\n        ${indented(result, 4)}`;
        first = false;
      }
      yield first ? "]\n    }" : "\n      ]\n    }";
    }
    yield "\n  ]\n}\n";
  }
}
