import { CompareRequest, isNumericType, type CellValue, type CompareResult, type DiffRow, type Row } from "@assay/ports";
import { cellsEqual, toleranceDecimal } from "./cells.js";
import type { Decimal } from "./decimal.js";
import { compareKeys, KeyGroupReader, type KeyGroup } from "./key-groups.js";
import { inSample } from "./sample.js";

export interface MergeCompareOptions {
  /** Harmonised column types (from getQuerySchema): numeric columns compare by value. */
  types?: Record<string, string>;
  signal?: AbortSignal;
  /** Takes every differing row instead of the result's diff (which stays empty, never truncated): a caller keeping its own order. */
  onDiff?: (row: DiffRow) => void;
}

/**
 * COMPARE by merging two row streams ordered by the key (ascending, NULLs first): the
 * fallback for backends without an in-engine compare, or sides on different backends. The
 * semantics are the in-engine ones: keys NULL-safe; a key repeated on a side is a duplicate
 * (reported, its rows not compared); a key on one side only is missing or extra; otherwise
 * each compared column is equal, numerically within tolerance, or a mismatch. Only the
 * current key group of each side is held in memory.
 */
export async function mergeCompare(
  expected: AsyncIterable<Row>,
  actual: AsyncIterable<Row>,
  request: CompareRequest,
  options: MergeCompareOptions = {},
): Promise<CompareResult> {
  const req = CompareRequest.parse(request);
  const keys = req.keys;
  const numeric = keys.map((k) => isNumericType(options.types?.[k]));
  const sample = req.sample;
  const keep = sample ? (key: CellValue[]) => inSample(key, numeric, sample.percent, sample.seed) : undefined;
  const left = new KeyGroupReader(expected, "expected", keys, numeric, keep);
  const right = new KeyGroupReader(actual, "actual", keys, numeric, keep);

  const result: CompareResult = {
    expectedRows: 0,
    actualRows: 0,
    matchedRows: 0,
    missingRows: 0,
    extraRows: 0,
    mismatchedRows: 0,
    duplicateKeys: { expected: 0, actual: 0 },
    columns: [],
    diff: [],
    truncated: false,
    sample: sample ? { percent: sample.percent, seed: sample.seed } : null,
  };
  let compared: { name: string; numeric: boolean; tolerance: Decimal; index: number }[] | null = null;
  const setColumns = (row: Row) => {
    const names = req.columns ?? Object.keys(row).filter((c) => !keys.includes(c));
    compared = names.map((name, index) => ({
      name,
      numeric: isNumericType(options.types?.[name]),
      tolerance: toleranceDecimal(req.tolerance.columns[name] ?? req.tolerance.default),
      index,
    }));
    result.columns = names.map((name) => ({ name, mismatches: 0 }));
  };
  const addDiff = (row: DiffRow) => {
    if (options.onDiff) options.onDiff(row);
    else if (result.diff.length < req.maxDiffRows) result.diff.push(row);
    else result.truncated = true;
  };
  const keyRow = (group: KeyGroup): Row => Object.fromEntries(keys.map((k, i) => [k, group.key[i]!]));

  const handle = (e: KeyGroup | null, a: KeyGroup | null) => {
    if (e) result.expectedRows += e.count;
    if (a) result.actualRows += a.count;
    const key = keyRow((e ?? a)!);
    if ((e && e.count > 1) || (a && a.count > 1)) {
      if (e && e.count > 1) {
        result.duplicateKeys.expected++;
        addDiff({ kind: "duplicate", key, expected: e.first, actual: null, columns: [], side: "expected", count: e.count });
      }
      if (a && a.count > 1) {
        result.duplicateKeys.actual++;
        addDiff({ kind: "duplicate", key, expected: null, actual: a.first, columns: [], side: "actual", count: a.count });
      }
      return;
    }
    if (e && !a) {
      result.missingRows++;
      addDiff({ kind: "missing", key, expected: e.first, actual: null, columns: [] });
      return;
    }
    if (a && !e) {
      result.extraRows++;
      addDiff({ kind: "extra", key, expected: null, actual: a.first, columns: [] });
      return;
    }
    const differing: string[] = [];
    for (const column of compared ?? []) {
      const x = e!.first[column.name] ?? null;
      const y = a!.first[column.name] ?? null;
      if (!cellsEqual(x, y, column.numeric, column.tolerance)) {
        differing.push(column.name);
        result.columns[column.index]!.mismatches++;
      }
    }
    if (differing.length === 0) {
      result.matchedRows++;
      return;
    }
    result.mismatchedRows++;
    addDiff({ kind: "mismatch", key, expected: e!.first, actual: a!.first, columns: differing });
  };

  let e = await left.next();
  let a = await right.next();
  const first = e ?? a;
  if (first) setColumns(first.first);
  else if (req.columns) setColumns({});
  while (e || a) {
    options.signal?.throwIfAborted();
    const order = !e ? 1 : !a ? -1 : compareKeys(e.key, a.key, numeric);
    if (order < 0) {
      handle(e, null);
      e = await left.next();
    } else if (order > 0) {
      handle(null, a);
      a = await right.next();
    } else {
      handle(e, a);
      [e, a] = await Promise.all([left.next(), right.next()]);
    }
  }
  return result;
}
