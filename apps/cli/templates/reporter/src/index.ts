import {
  definePlugin,
  outcomeOf,
  secondsText,
  type CallOptions,
  type Reporter,
  type ReportSource,
  type TestCaseResult,
  type TestRun,
} from "@assay/ports";
import { z } from "zod";

/** Options as users write them under reporters: [{ use: __NAME__, file: reports/results.csv, options: {...} }]. */
export const Options = z.strictObject({
  /** The field separator: "," by default; ";" where spreadsheets read "," as the decimal mark. */
  delimiter: z.enum([",", ";", "\t"]).default(","),
});
export type Options = z.output<typeof Options>;

const HEADER = ["run_id", "test_set", "domain", "stage", "instance", "object", "type", "scenario", "result", "summary", "started_at", "duration_s"];

/** One line per test case (RFC 4180: CRLF line ends, fields quoted where needed), for spreadsheets and scripts. */
class CsvReporter implements Reporter {
  readonly extension = "csv";
  readonly mediaType = "text/csv";

  constructor(readonly delimiter: string) {}

  async *render(source: ReportSource, call: CallOptions = {}): AsyncIterable<string> {
    call.signal?.throwIfAborted();
    yield this.#line(HEADER);
    for (const run of source.runs) {
      // Results stream from the result store one at a time: a run of thousands never sits in memory.
      for await (const result of source.results(run.id)) {
        call.signal?.throwIfAborted();
        yield this.#line(fieldsOf(run, result));
      }
    }
  }

  #line(fields: readonly string[]): string {
    return `${fields.map((field) => this.#field(field)).join(this.delimiter)}\r\n`;
  }

  #field(value: string): string {
    // A spreadsheet runs a cell starting with = + - or @ as a formula: a leading ' keeps it text.
    const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
    return text.includes(this.delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }
}

function fieldsOf(run: TestRun, result: TestCaseResult): string[] {
  return [
    run.id,
    run.testSet.name,
    result.at.domain,
    result.at.stage,
    result.at.instance,
    result.object,
    result.type,
    result.scenario ?? "",
    outcomeOf(result),
    result.summary,
    result.startedAt,
    secondsText(result.durationMs),
  ];
}

export default definePlugin({
  kind: "reporter",
  name: "__NAME__",
  apiVersion: 1,
  description: "One CSV line per test case.",
  optionsSchema: Options,
  // assay validates and defaults the options with optionsSchema before it calls create().
  async create(options: Options, _context) {
    return new CsvReporter(options.delimiter);
  },
});
