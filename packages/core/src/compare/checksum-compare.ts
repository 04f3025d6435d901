import {
  KEY_HASH_COLUMN,
  KEY_TEXT_COLUMN,
  type Backend,
  type CallOptions,
  type ChecksumScope,
  type CompareRequest,
  type Column,
  type CompareResult,
  type Coordinates,
  type DiffRow,
  type Row,
  type ScanSource,
  type SegmentChecksum,
  CompareRequest as CompareRequestSchema,
  isNumericType,
  ownValueColumn,
} from "@assay/ports";
import { compareCells } from "./cells.js";
import { encodings } from "./encoding.js";
import { compareKeys } from "./key-groups.js";
import { mergeCompare } from "./merge.js";

/** One side of a COMPARE across engines: a backend with the checksum capability and what it reads. */
export interface ChecksumSideRef {
  backend: Backend;
  at: Coordinates;
  source: ScanSource;
}

export interface ChecksumCompareOptions {
  /** Harmonised types of the expected query's columns (numeric columns compare by value); default: asked of its backend. */
  types?: Record<string, string>;
  /** Harmonised types of the test object's columns; default: asked of its backend. Where a column's two types differ, both sides encode it in the type they meet in. */
  actualTypes?: Record<string, string>;
  signal?: AbortSignal;
  /** Runs one pass (a level of checksums, or the rows of the differing segments): the test type times it and tells the notifiers. */
  step?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
  /**
   * Key-hash bits of the first level (2^bits segments). Default: segments of about leafRows / 2
   * rows, from the row count of a side that is an object (one count, no scan), else 10.
   */
  firstBits?: number;
  /** A differing segment with at most this many rows on each side is read row by row; default 256. */
  leafRows?: number;
  /**
   * Sides whose keys are known unique (a declared primary key on exactly the keys): their first
   * pass skips counting duplicates, a grouping by key.
   */
  uniqueKeys?: { expected?: boolean; actual?: boolean };
}

/** What a checksum COMPARE moved into Node: the figures the bench and the test case report. */
export interface ChecksumCompareStats {
  /** Per-segment summaries read (both sides). */
  summaryRows: number;
  /** Canonical rows of differing segments read (both sides). */
  rows: number;
  /** Passes over the sides (checksum levels and row fetches). */
  passes: number;
}

/** Segments per statement: an IN list of generated integers, kept short for every engine's parser. */
const CHUNK = 1000;

function emptyResult(columns: string[]): CompareResult {
  return {
    expectedRows: 0, actualRows: 0, matchedRows: 0, missingRows: 0, extraRows: 0, mismatchedRows: 0,
    duplicateKeys: { expected: 0, actual: 0 }, columns: columns.map((name) => ({ name, mismatches: 0 })),
    diff: [], truncated: false, sample: null,
  };
}

async function columnsOf(side: ChecksumSideRef, call: CallOptions): Promise<Column[]> {
  return side.source.kind === "query"
    ? side.backend.getQuerySchema(side.source.sql, side.at, call)
    : (await side.backend.getSchema({ ...side.at, name: side.source.name }, call)).columns;
}

const typesOf = (columns: Column[]): Record<string, string> => Object.fromEntries(columns.map((c) => [c.name, c.type]));

/**
 * First-level bits giving segments of about leafRows / 2 rows, so that a segment holding a
 * difference is usually read at once, after a single pass: each further pass reads both sides
 * again, which costs more than the few rows it saves.
 */
async function firstBits(sides: ChecksumSideRef[], leafRows: number, call: CallOptions): Promise<number> {
  const object = sides.find((s) => s.source.kind === "object");
  if (!object || object.source.kind !== "object") return 10;
  const rows = await object.backend.countRows({ ...object.at, name: object.source.name }, [], call);
  // At most 2^16 segments: one level's summaries stay small in memory; larger tables bisect further.
  return Math.min(16, Math.max(4, Math.ceil(Math.log2(Math.max(1, rows) / (leafRows / 2)))));
}

function chunks(values: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

/**
 * Rows ordered by key hash, made fully ordered for the merge: rows sharing a hash (different keys
 * that collide, or a duplicated key) are sorted by their canonical key text, by code point.
 * Holds one hash's rows at a time.
 */
async function* byKey(rows: AsyncIterable<Row>): AsyncIterable<Row> {
  let group: Row[] = [];
  let hash: number | null = null;
  const flush = function* () {
    if (group.length > 1) group.sort((a, b) => compareCells(a[KEY_TEXT_COLUMN] ?? null, b[KEY_TEXT_COLUMN] ?? null));
    yield* group;
    group = [];
  };
  for await (const row of rows) {
    const h = Number(row[KEY_HASH_COLUMN]);
    if (h !== hash) {
      yield* flush();
      hash = h;
    }
    group.push({ ...row, [KEY_HASH_COLUMN]: h });
  }
  yield* flush();
}

/**
 * The first `limit` differing rows in key order (the merge COMPARE's order: NULLs first, numbers
 * by value, text by code point), whatever order the segments come in: a sorted array, since
 * maxDiffRows is small. A row equal in key to kept ones goes after them (a key duplicated on both
 * sides: expected, then actual).
 */
export class FirstDiffs {
  readonly rows: DiffRow[] = [];
  /** Differing rows offered, kept or not. */
  offered = 0;
  constructor(private readonly limit: number, private readonly keys: string[], private readonly numeric: boolean[]) {}

  private order(a: DiffRow, b: DiffRow): number {
    return compareKeys(this.keys.map((k) => a.key[k] ?? null), this.keys.map((k) => b.key[k] ?? null), this.numeric);
  }

  offer(row: DiffRow): void {
    this.offered++;
    const last = this.rows[this.rows.length - 1];
    if (this.rows.length >= this.limit && (!last || this.order(row, last) >= 0)) return;
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order(this.rows[mid]!, row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.rows.splice(lo, 0, row);
    if (this.rows.length > this.limit) this.rows.pop();
  }

  get truncated(): boolean {
    return this.offered > this.rows.length;
  }
}

async function* counted(rows: AsyncIterable<Row>, stats: ChecksumCompareStats): AsyncIterable<Row> {
  for await (const row of rows) {
    stats.rows++;
    yield row;
  }
}

/**
 * COMPARE of two sides on different engines that move little data. Both engines compute, per
 * segment of the key hash, a row count and a sum of row hashes over the canonical row encoding
 * (the same bytes for the same values on every engine); only segments that differ are split
 * further, and small differing segments are read row by row (canonical text) and compared
 * exactly, with tolerance, by the merge COMPARE's comparator. A column whose sides' types differ
 * is encoded on both in the type they meet in (a double, a timestamp), as in-engine. Differing
 * rows show each side's own values (as query() gives them), the first maxDiffRows in key order.
 * Duplicate keys are counted on the first pass; a segment holding one is always read row by row,
 * so equal duplicates on both sides never pass as matched. Memory holds one level's differing
 * segment numbers, one key's rows and the kept differing rows.
 */
export async function checksumCompare(
  expected: ChecksumSideRef,
  actual: ChecksumSideRef,
  input: CompareRequest,
  options: ChecksumCompareOptions = {},
): Promise<{ result: CompareResult; stats: ChecksumCompareStats }> {
  const request = CompareRequestSchema.parse(input);
  const step = options.step ?? (<T>(_: string, work: () => Promise<T>) => work());
  const leafRows = options.leafRows ?? 256;
  const call: CallOptions = options.signal ? { signal: options.signal } : {};
  const expectedColumns = !options.types || !request.columns ? await columnsOf(expected, call) : [];
  const types = options.types ?? typesOf(expectedColumns);
  const actualTypes = options.actualTypes ?? typesOf(await columnsOf(actual, call));
  // As the in-engine COMPARE: without `columns`, every column of the expected side but the keys.
  const columns = request.columns ?? expectedColumns.map((c) => c.name).filter((c) => !request.keys.includes(c));
  const names = [...request.keys, ...columns];
  const encodeAs = encodings(names, types, actualTypes);
  const base = { keys: request.keys, columns, tolerance: request.tolerance, ...(Object.keys(encodeAs).length > 0 ? { encodeAs } : {}) };
  const stats: ChecksumCompareStats = { summaryRows: 0, rows: 0, passes: 0 };
  const result = emptyResult(columns);
  const diffs = new FirstDiffs(request.maxDiffRows, request.keys, request.keys.map((k) => isNumericType(types[k])));
  /** A side's row with its own values under the requested names, as the in-engine COMPARE shows it. */
  const own = (row: Row | null, of: string[] = names): Row | null => row && Object.fromEntries(of.map((name) => [name, row[ownValueColumn(names.indexOf(name))] ?? null]));

  const level = async (side: ChecksumSideRef, bits: number, within: ChecksumScope | null, countDuplicates: boolean): Promise<SegmentChecksum[]> => {
    const out: SegmentChecksum[] = [];
    for (const segments of within ? chunks(within.segments) : [null]) {
      const scope = segments ? { bits: within!.bits, segments } : null;
      const part = await side.backend.checksum!({ at: side.at, source: side.source, ...base, bits, within: scope, countDuplicates }, call);
      stats.summaryRows += part.length;
      out.push(...part);
    }
    return out;
  };
  const both = async (bits: number, within: ChecksumScope | null, duplicates: [boolean, boolean]) => {
    stats.passes++;
    return Promise.all([level(expected, bits, within, duplicates[0]), level(actual, bits, within, duplicates[1])]);
  };

  /** The rows of differing segments, merged key by key with the merge COMPARE's semantics. */
  const compareRows = async (scope: ChecksumScope): Promise<void> => {
    stats.passes++;
    for (const segments of chunks(scope.segments)) {
      const within = { bits: scope.bits, segments };
      const rows = (side: ChecksumSideRef) => byKey(counted(side.backend.checksumRows!({ at: side.at, source: side.source, ...base, within }, call), stats));
      const part = await mergeCompare(rows(expected), rows(actual), {
        ...request, keys: [KEY_HASH_COLUMN, KEY_TEXT_COLUMN], columns, sample: undefined,
      }, {
        types: { ...types, [KEY_HASH_COLUMN]: "bigint", [KEY_TEXT_COLUMN]: "string" },
        onDiff: (d) => diffs.offer({ ...d, key: own(d.expected ?? d.actual, request.keys)!, expected: own(d.expected), actual: own(d.actual) }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      result.matchedRows += part.matchedRows;
      result.missingRows += part.missingRows;
      result.extraRows += part.extraRows;
      result.mismatchedRows += part.mismatchedRows;
      result.duplicateKeys.expected += part.duplicateKeys.expected;
      result.duplicateKeys.actual += part.duplicateKeys.actual;
      part.columns.forEach((c, i) => (result.columns[i]!.mismatches += c.mismatches));
    }
  };

  let bits = Math.min(32, Math.max(0, options.firstBits ?? (await firstBits([actual, expected], leafRows, call))));
  const counting: [boolean, boolean] = [!options.uniqueKeys?.expected, !options.uniqueKeys?.actual];
  let [e, a] = await step(`checksums of ${2 ** bits} segments`, () => both(bits, null, counting));
  const duplicates: [boolean, boolean] = [e.some((s) => s.duplicateKeys > 0), a.some((s) => s.duplicateKeys > 0)];
  for (const s of e) result.expectedRows += s.rows;
  for (const s of a) result.actualRows += s.rows;
  const total = Math.max(result.expectedRows, result.actualRows);

  for (;;) {
    // Segments in order on both sides: matched whole, read row by row, or split further.
    const split: number[] = [];
    const leaves: number[] = [];
    let largest = 0;
    let splitRows = 0;
    let i = 0;
    let j = 0;
    while (i < e.length || j < a.length) {
      const x = i < e.length && (j >= a.length || e[i]!.segment <= a[j]!.segment) ? e[i++]! : null;
      const y = j < a.length && (x === null || a[j]!.segment === x.segment) ? a[j++]! : null;
      const segment = (x ?? y)!.segment;
      if (x && y && x.rows === y.rows && x.sum === y.sum && x.duplicateKeys === 0 && y.duplicateKeys === 0) {
        result.matchedRows += x.rows;
        continue;
      }
      const rows = Math.max(x?.rows ?? 0, y?.rows ?? 0);
      if (rows <= leafRows || bits === 32) leaves.push(segment);
      else {
        split.push(segment);
        largest = Math.max(largest, rows);
        splitRows += (x?.rows ?? 0) + (y?.rows ?? 0);
      }
    }
    // Most of the data differs: splitting further would read about as much as the rows themselves.
    if (split.length > 0 && splitRows > total / 2) {
      leaves.push(...split);
      leaves.sort((p, q) => p - q);
      split.length = 0;
    }
    if (leaves.length > 0) await step(`rows of ${leaves.length} differing segment${leaves.length > 1 ? "s" : ""}`, () => compareRows({ bits, segments: leaves }));
    if (split.length === 0) break;
    const within = { bits, segments: split };
    bits = Math.min(32, bits + Math.max(1, Math.ceil(Math.log2(largest / (leafRows / 2)))));
    const next = bits;
    [e, a] = await step(`checksums within ${split.length} differing segment${split.length > 1 ? "s" : ""}`, () => both(next, within, duplicates));
  }
  return { result: { ...result, diff: diffs.rows, truncated: diffs.truncated }, stats };
}
