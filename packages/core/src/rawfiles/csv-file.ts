import { open } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { AssayError } from "@assay/ports";
import { CsvRecordCounter } from "./csv-records.js";
import { byteLayout, detectBom, type ByteLayout } from "./encodings.js";
import { inferHeaderLines } from "./header.js";

/** Large reads keep the native scan busy and the per-call overhead negligible. */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

export interface CsvCountOptions {
  /** Declared encoding; undefined: a byte-order mark decides, else utf-8. */
  encoding?: string | undefined;
  /** Leading header records; undefined: the header rule decides. */
  headerLines?: number | undefined;
  delimiter?: string | undefined;
  /** Bytes per read (tests use tiny ones to cross chunk boundaries). */
  chunkSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface CsvCount {
  /** Data records: records less header records. */
  rows: number;
  records: number;
  headerLines: number;
  headerInferred: boolean;
  /** The encoding the file was read in (after the byte-order mark). */
  encoding: string;
}

/**
 * Counts the data records of one CSV file, streamed through two reused buffers (the next read
 * runs while the current chunk is scanned); the file is never held whole. UTF-16 is transcoded
 * to UTF-8 chunk by chunk before counting. The signal is honoured between chunks.
 */
export async function countCsvFile(path: string, options: CsvCountOptions = {}): Promise<CsvCount> {
  options.signal?.throwIfAborted();
  const handle = await open(path, "r").catch((error: unknown) => {
    throw new AssayError("RAW_FILE_UNREADABLE", `Cannot open raw file ${path}: ${(error as Error).message}`, { cause: error });
  });
  let pending: Promise<{ bytesRead: number }> | undefined;
  try {
    // A small file gets small buffers: a load of many small files must not allocate 16 MB each.
    const size = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK_SIZE, (await handle.stat()).size + 1));
    const head = Buffer.alloc(4);
    const { bytesRead: headLength } = await handle.read(head, 0, 4, 0);
    const layout = byteLayout(path, options.encoding, head.subarray(0, headLength));
    const counter = new CsvRecordCounter();
    const feed = feeder(layout, counter);
    // UTF-8 BOM skipped here; a UTF-16 BOM is consumed by the decoder.
    let position = layout.kind === "ascii" ? detectBom(head.subarray(0, headLength)).length : 0;
    let current = Buffer.allocUnsafe(size);
    let next = Buffer.allocUnsafe(size);
    pending = handle.read(current, 0, size, position);
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      options.signal?.throwIfAborted();
      position += bytesRead;
      const chunk = current.subarray(0, bytesRead);
      [current, next] = [next, current];
      pending = handle.read(current, 0, size, position);
      feed.push(chunk);
    }
    feed.end();
    const records = counter.finish();
    if (counter.unterminatedQuote) {
      throw new AssayError("RAW_FILE_UNREADABLE", `Raw file ${path} ends inside a quoted field (opened in record ${records + 1}), so its records cannot be counted`, {
        expected: 'every " that opens a quoted field closed by another "; a quote inside a field written as ""',
        fix: "Check the file for a stray or unescaped quote.",
      });
    }
    const delimiter = options.delimiter ?? ",";
    const headerLines = options.headerLines ?? inferHeaderLines(decodeFirst(counter.firstRecord(), layout), delimiter);
    return {
      rows: Math.max(0, records - headerLines),
      records,
      headerLines,
      headerInferred: options.headerLines === undefined,
      encoding: layout.name,
    };
  } finally {
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

function feeder(layout: ByteLayout, counter: CsvRecordCounter): { push(chunk: Buffer): void; end(): void } {
  if (layout.kind === "ascii") return { push: (chunk) => counter.push(chunk), end: () => undefined };
  const decoder = new TextDecoder(layout.kind);
  return {
    push: (chunk) => counter.push(Buffer.from(decoder.decode(chunk, { stream: true }), "utf8")),
    end: () => counter.push(Buffer.from(decoder.decode(), "utf8")),
  };
}

function decodeFirst(bytes: Buffer | null, layout: ByteLayout): string | null {
  if (bytes === null) return null;
  if (layout.kind !== "ascii") return bytes.toString("utf8"); // transcoded already
  try {
    return new TextDecoder(layout.label).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}
