import { createReadStream } from "node:fs";
import { TextDecoder } from "node:util";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { BackendError } from "@assay/ports";

export interface CsvCountOptions {
  encoding?: string | undefined;
  delimiter?: string | undefined;
  /** Header lines to skip; inferred when undefined (see inferHeaderLines). */
  headerLines?: number | undefined;
}

const VALUE_LIKE = [
  /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/, // numbers
  /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?$/, // dates and timestamps
  /^\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?$/, // times
];

function looksLikeValue(field: string): boolean {
  const text = field.trim();
  return text === "" || VALUE_LIKE.some((re) => re.test(text));
}

/**
 * Header lines, when the spec does not say: 0 when the file has no records or its first record
 * holds a number, a date, a time or an empty field (so it is data); otherwise 1. A first record
 * of text only is a header when the second record holds values, and when the second is text
 * only too the question cannot be decided and the default, 1, applies: both give 1.
 */
export function inferHeaderLines(first: string[] | undefined): number {
  if (!first) return 0;
  return first.some(looksLikeValue) ? 0 : 1;
}

/** Data records of one CSV file, streamed: a quoted field spanning lines counts once. */
export async function countCsvRecords(file: string, options: CsvCountOptions): Promise<number> {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(options.encoding ?? "utf-8", { fatal: false });
  } catch {
    throw new BackendError("BACKEND_UNSUPPORTED", `Encoding ${JSON.stringify(options.encoding)} is not supported for raw files`, {
      expected: "an encoding Node can decode, e.g. utf-8, latin1, windows-1252, utf-16le",
      fix: "Correct `encoding` in the stagecount spec.",
    });
  }
  let records = 0;
  let first: string[] | undefined;
  const parser = parse({
    delimiter: options.delimiter ?? ",",
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  parser.on("data", (record: string[]) => {
    if (records === 0) first = record;
    records++;
  });
  await pipeline(
    createReadStream(file),
    async function* decode(source: AsyncIterable<Buffer>) {
      for await (const chunk of source) yield decoder.decode(chunk, { stream: true });
      const rest = decoder.decode();
      if (rest) yield rest;
    },
    parser,
  );
  const header = options.headerLines ?? inferHeaderLines(first);
  return Math.max(0, records - header);
}
