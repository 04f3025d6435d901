import { describe, expect, it } from "vitest";
import { CompareResult, type CellValue, type CompareRequest, type DiffRow, type Row } from "@assay/ports";
import { isNumericType } from "@assay/ports";
import { cellsEqual, compareCells } from "../src/compare/cells.js";
import { parseDecimal } from "../src/compare/decimal.js";
import { mergeCompare } from "../src/compare/merge.js";
import { compareOk, compareSummary } from "../src/compare/summary.js";
import { random, stream } from "./support/rows.js";

const at = { domain: "payments", stage: "test", instance: "alpha" };
const req = (over: Partial<CompareRequest> = {}): CompareRequest => ({ at, expectedSql: "SELECT 1", object: "t", keys: ["id"], ...over });
const types = { id: "int", k2: "string", amount: "decimal(12,2)", name: "string", v: "double" };

async function merge(expected: Row[], actual: Row[], over: Partial<CompareRequest> = {}) {
  return CompareResult.parse(await mergeCompare(stream(expected), stream(actual), req(over), { types }));
}

describe("mergeCompare", () => {
  it("matches identical sides", async () => {
    const rows = [{ id: 1, amount: "1.00" }, { id: 2, amount: "2.50" }];
    const r = await merge(rows, rows);
    expect(r).toMatchObject({ expectedRows: 2, actualRows: 2, matchedRows: 2, missingRows: 0, extraRows: 0, mismatchedRows: 0, diff: [], truncated: false });
    expect(compareOk(r)).toBe(true);
    expect(compareSummary(r)).toBe("All 2 rows match.");
  });

  it("reports missing, extra, mismatched and duplicates like the backend contract", async () => {
    // The contract's scenario: expected lacks 2, changes 3, adds 9 and repeats 4.
    const actual = [{ id: 1, amount: "10.50" }, { id: 2, amount: "20.00" }, { id: 3, amount: "30.25" }, { id: 4, amount: "0.10" }];
    const expected = [{ id: 1, amount: "10.50" }, { id: 3, amount: "31.25" }, { id: 4, amount: "0.10" }, { id: 4, amount: "0.10" }, { id: 9, amount: "1.00" }];
    const r = await merge(expected, actual);
    expect(r).toMatchObject({ expectedRows: 5, actualRows: 4, matchedRows: 1, missingRows: 1, extraRows: 1, mismatchedRows: 1 });
    expect(r.duplicateKeys).toEqual({ expected: 1, actual: 0 });
    expect(r.columns).toEqual([{ name: "amount", mismatches: 1 }]);
    expect(r.diff.map((d) => `${d.kind}:${String(d.key.id)}`)).toEqual(["extra:2", "mismatch:3", "duplicate:4", "missing:9"]);
    expect(r.diff[2]).toMatchObject({ side: "expected", count: 2 });
    expect(compareSummary(r)).toBe("3 rows differ (5 expected, 4 actual): 1 missing, 1 extra, 1 mismatched (amount 1); 1 duplicate key in expected.");
    const tolerant = await merge(expected, actual, { tolerance: { default: 0, columns: { amount: 1 } } });
    expect(tolerant.mismatchedRows).toBe(0);
    const capped = await merge(expected, actual, { maxDiffRows: 1 });
    expect(capped.diff).toHaveLength(1);
    expect(capped.truncated).toBe(true);
  });

  it("equates a boolean with 1 or 0, as the in-engine compare does, and no other number", async () => {
    expect(cellsEqual(true, 1, false, parseDecimal(0)!)).toBe(true);
    expect(cellsEqual(0, false, false, parseDecimal(0)!)).toBe(true);
    expect(cellsEqual(true, 2, false, parseDecimal(0)!)).toBe(false);
    expect(cellsEqual(false, 1, false, parseDecimal(0)!)).toBe(false);
  });

  it("words the summary right for every count: no rows, one row, extra rows only, one differing row", async () => {
    const summary = async (expected: Row[], actual: Row[]) => compareSummary(await merge(expected, actual));
    expect(await summary([], [])).toBe("Both sides are empty: nothing to compare.");
    expect(await summary([{ id: 1, amount: "1.00" }], [{ id: 1, amount: "1.00" }])).toBe("The 1 row matches.");
    const three = [{ id: 1, amount: "1.00" }, { id: 2, amount: "2.00" }, { id: 3, amount: "3.00" }];
    expect(await summary([], three)).toBe("3 rows differ (0 expected, 3 actual): 3 extra.");
    expect(await summary(three, [])).toBe("3 rows differ (3 expected, 0 actual): 3 missing.");
    expect(await summary(three, [three[0]!, three[1]!, { id: 3, amount: "3.01" }])).toBe("1 row differs (3 expected, 3 actual): 1 mismatched (amount 1).");
  });

  it("reports duplicates on the actual side and on both sides", async () => {
    const r = await merge([{ id: 1, amount: 1 }, { id: 2, amount: 1 }, { id: 2, amount: 1 }], [{ id: 1, amount: 1 }, { id: 1, amount: 1 }, { id: 2, amount: 1 }, { id: 2, amount: 1 }, { id: 2, amount: 1 }]);
    expect(r.duplicateKeys).toEqual({ expected: 1, actual: 2 });
    expect(r.diff.map((d) => [d.key.id, d.side, d.count])).toEqual([[1, "actual", 2], [2, "expected", 2], [2, "actual", 3]]);
    expect(r.matchedRows + r.missingRows + r.extraRows + r.mismatchedRows).toBe(0);
    expect(compareSummary(r)).toBe("1 duplicate key in expected; 2 duplicate keys in actual.");
  });

  it("matches NULL keys NULL-safely and sorts them first", async () => {
    const r = await merge([{ id: null, amount: 1 }, { id: 1, amount: 2 }], [{ id: null, amount: 5 }, { id: 1, amount: 2 }]);
    expect(r.mismatchedRows).toBe(1);
    expect(r.diff[0]).toMatchObject({ kind: "mismatch", key: { id: null }, columns: ["amount"] });
  });

  it("uses composite keys", async () => {
    const keys = ["id", "k2"];
    const expected = [{ id: 1, k2: "a", v: 1 }, { id: 1, k2: "b", v: 2 }, { id: 2, k2: null, v: 3 }];
    const actual = [{ id: 1, k2: "b", v: 2 }, { id: 2, k2: null, v: 4 }, { id: 2, k2: "a", v: 3 }];
    const r = await merge(expected, actual, { keys });
    expect(r.diff.map((d) => `${d.kind}:${String(d.key.id)}/${String(d.key.k2)}`)).toEqual(["missing:1/a", "mismatch:2/null", "extra:2/a"]);
    expect(r.matchedRows).toBe(1);
  });

  it("compares decimals exactly and applies the tolerance inclusively", async () => {
    const e = [{ id: 1, amount: "10.50" }, { id: 2, amount: "12345678901234567890.12" }, { id: 3, amount: "1.000" }];
    const a = [{ id: 1, amount: 10.5 }, { id: 2, amount: "12345678901234567890.13" }, { id: 3, amount: "1.005" }];
    expect((await merge(e, a)).mismatchedRows).toBe(2);
    // 0.01 apart: equal at tolerance 0.01 (inclusive), different at 0.0099.
    expect((await merge(e, a, { tolerance: { default: 0.01, columns: {} } })).mismatchedRows).toBe(0);
    const r = await merge(e, a, { tolerance: { default: 0.0099, columns: {} } });
    expect(r.diff.map((d) => d.key.id)).toEqual([2]);
    // A per-column tolerance beats the default.
    expect((await merge(e, a, { tolerance: { default: 1, columns: { amount: 0 } } })).mismatchedRows).toBe(2);
  });

  it("treats float rounding within tolerance as equal and beyond it as a mismatch", async () => {
    const e = [{ id: 1, v: 0.1 + 0.2 }, { id: 2, v: 1 / 3 }];
    const a = [{ id: 1, v: 0.3 }, { id: 2, v: 0.3333333 }];
    expect((await merge(e, a, { tolerance: { default: 1e-6, columns: {} } })).mismatchedRows).toBe(0);
    const strict = await merge(e, a, { tolerance: { default: 1e-9, columns: {} } });
    expect(strict.mismatchedRows).toBe(1);
    expect(strict.diff[0]!.key.id).toBe(2);
    expect((await merge(e, a)).mismatchedRows).toBe(2);
  });

  it("compares strings exactly, even when they look like numbers", async () => {
    const r = await merge([{ id: 1, name: "007" }], [{ id: 1, name: "7" }]);
    expect(r.mismatchedRows).toBe(1);
  });

  it("compares only the requested columns", async () => {
    const r = await merge([{ id: 1, amount: 1, name: "x" }], [{ id: 1, amount: 2, name: "x" }], { columns: ["name"] });
    expect(r.matchedRows).toBe(1);
    expect(r.columns).toEqual([{ name: "name", mismatches: 0 }]);
  });

  it("refuses out-of-order input on either side with a clear error", async () => {
    await expect(merge([{ id: 2 }, { id: 1 }], [])).rejects.toThrow(/expected rows are not ordered by the key \(id\): row 2/);
    await expect(merge([], [{ id: null }, { id: 3 }, { id: 1 }])).rejects.toThrow(/actual rows are not ordered/);
    await expect(merge([{ id: 1 }, { id: null }], [])).rejects.toMatchObject({ code: "BACKEND_QUERY" });
  });

  it("refuses rows without the key column", async () => {
    await expect(merge([{ amount: 1 }], [])).rejects.toThrow(/no key column "id"/);
  });

  it("samples the same keys on both sides, deterministically", async () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({ id: i, amount: i }));
    const changed = rows.map((r) => ({ ...r, amount: r.amount + 1 }));
    const s1 = await merge(rows, changed, { sample: { percent: 25, seed: "s" } });
    const s2 = await merge(rows, changed, { sample: { percent: 25, seed: "s" } });
    expect(s1).toEqual(s2);
    expect(s1.sample).toEqual({ percent: 25, seed: "s" });
    expect(s1.missingRows + s1.extraRows).toBe(0);
    expect(s1.expectedRows).toBe(s1.mismatchedRows);
    expect(s1.expectedRows).toBeGreaterThan(50);
    expect(s1.expectedRows).toBeLessThan(150);
  });

  it("holds only the current key group: a long duplicate run costs no memory", async () => {
    async function* many(): AsyncIterable<Row> {
      for (let i = 0; i < 200_000; i++) yield { id: 1, amount: i };
    }
    const r = await mergeCompare(many(), stream([{ id: 1, amount: 0 }]), req(), { types });
    expect(r.diff).toEqual([{ kind: "duplicate", key: { id: 1 }, expected: { id: 1, amount: 0 }, actual: null, columns: [], side: "expected", count: 200_000 }]);
  });

  it("stops when its signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(mergeCompare(stream([{ id: 1 }]), stream([]), req(), { signal: controller.signal })).rejects.toThrow("stop");
  });
});

describe("cell semantics", () => {
  it("orders NULL first, numbers by value, strings by code point", () => {
    expect(compareCells(null, 0)).toBe(-1);
    expect(compareCells("10", "9")).toBe(-1);
    expect(compareCells("10", "9", true)).toBe(1);
    expect(compareCells("B", "a")).toBe(-1);
    expect(compareCells("\uFFFF", "😀")).toBe(-1);
    expect(compareCells(false, true)).toBe(-1);
  });
  it("parses decimals with exponents", () => {
    expect(parseDecimal("1e-7")).toEqual({ units: 1n, scale: 7 });
    expect(parseDecimal(1.5e21)).toEqual({ units: 1500000000000000000000n, scale: 0 });
    expect(parseDecimal("abc")).toBeNull();
    expect(cellsEqual("1.10", 1.1, false, { units: 0n, scale: 0 })).toBe(true);
    expect(isNumericType("decimal(12,2)")).toBe(true);
    expect(isNumericType("string")).toBe(false);
  });
  it("equates NaN with NaN and an infinity with the same one, however spelt, with a tolerance too; against anything else they differ", () => {
    const half = parseDecimal(0.5)!;
    const zero = parseDecimal(0)!;
    for (const tolerance of [zero, half]) {
      for (const [a, b] of [["NaN", "NaN"], [NaN, "nan"], ["inf", Infinity], ["Infinity", "inf"], ["-inf", "-Infinity"], [-Infinity, "-inf"]] as const) {
        expect(cellsEqual(a, b, true, tolerance), `${a} = ${b}`).toBe(true);
      }
      for (const [a, b] of [["NaN", "1.5"], [1.5, NaN], ["inf", "-inf"], ["inf", "1.7976931348623157e+308"], ["NaN", "inf"], [NaN, null]] as const) {
        expect(cellsEqual(a, b, true, tolerance), `${a} ≠ ${b}`).toBe(false);
      }
    }
    expect(cellsEqual("-0", "0", true, zero)).toBe(true);
    expect(cellsEqual("1.7976931348623157e+308", "-1.7976931348623157e+308", true, half)).toBe(false);
    // Text that spells a special float is only text in a text column.
    expect(cellsEqual("inf", "Infinity", false, zero)).toBe(false);
  });
});

/** The obvious in-memory COMPARE, to check the merge against. */
function naiveCompare(expected: Row[], actual: Row[], keys: string[], columns: string[], maxDiffRows: number, tolerance: number): CompareResult {
  const numeric = keys.map((k) => isNumericType(types[k as keyof typeof types]));
  const keyOf = (r: Row) => keys.map((k) => r[k] ?? null);
  const groups: { key: CellValue[]; e: Row[]; a: Row[] }[] = [];
  const find = (key: CellValue[]) => groups.find((g) => g.key.every((v, i) => compareCells(v, key[i]!, numeric[i]) === 0));
  for (const [side, rows] of [["e", expected], ["a", actual]] as const) {
    for (const r of rows) {
      const key = keyOf(r);
      const g = find(key) ?? (groups.push({ key, e: [], a: [] }), groups[groups.length - 1]!);
      g[side].push(r);
    }
  }
  groups.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareCells(x.key[i]!, y.key[i]!, numeric[i]);
      if (c) return c;
    }
    return 0;
  });
  const tol = parseDecimal(tolerance)!;
  const result: CompareResult = {
    expectedRows: expected.length, actualRows: actual.length, matchedRows: 0, missingRows: 0, extraRows: 0, mismatchedRows: 0,
    duplicateKeys: { expected: 0, actual: 0 }, columns: columns.map((name) => ({ name, mismatches: 0 })), diff: [], truncated: false, sample: null,
  };
  const all: DiffRow[] = [];
  for (const g of groups) {
    const key = Object.fromEntries(keys.map((k, i) => [k, g.key[i]!]));
    if (g.e.length > 1 || g.a.length > 1) {
      if (g.e.length > 1) { result.duplicateKeys.expected++; all.push({ kind: "duplicate", key, expected: g.e[0]!, actual: null, columns: [], side: "expected", count: g.e.length }); }
      if (g.a.length > 1) { result.duplicateKeys.actual++; all.push({ kind: "duplicate", key, expected: null, actual: g.a[0]!, columns: [], side: "actual", count: g.a.length }); }
    } else if (g.a.length === 0) { result.missingRows++; all.push({ kind: "missing", key, expected: g.e[0]!, actual: null, columns: [] }); }
    else if (g.e.length === 0) { result.extraRows++; all.push({ kind: "extra", key, expected: null, actual: g.a[0]!, columns: [] }); }
    else {
      const diff = columns.filter((c) => !cellsEqual(g.e[0]![c] ?? null, g.a[0]![c] ?? null, isNumericType(types[c as keyof typeof types]), tol));
      for (const c of diff) result.columns.find((x) => x.name === c)!.mismatches++;
      if (diff.length) { result.mismatchedRows++; all.push({ kind: "mismatch", key, expected: g.e[0]!, actual: g.a[0]!, columns: diff }); }
      else result.matchedRows++;
    }
  }
  result.diff = all.slice(0, maxDiffRows);
  result.truncated = all.length > maxDiffRows;
  return result;
}

describe("mergeCompare property: equals the naive in-memory compare", () => {
  it("on 500 random small inputs (composite keys with NULLs, duplicates, decimals)", async () => {
    for (let seed = 1; seed <= 500; seed++) {
      const rnd = random(seed);
      const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const row = (): Row => ({ id: pick([null, 1, 2, 3, "4"]), k2: pick([null, "a", "b", "B"]), amount: pick([null, "1.00", 1, "1.5", 2]), name: pick([null, "x", "y"]) });
      const sortRows = (rows: Row[]) =>
        rows.sort((x, y) => compareCells(x.id ?? null, y.id ?? null, true) || compareCells(x.k2 ?? null, y.k2 ?? null));
      const expected = sortRows(Array.from({ length: Math.floor(rnd() * 8) }, row));
      const actual = sortRows([...expected.filter(() => rnd() < 0.6).map((r) => (rnd() < 0.3 ? { ...r, amount: pick([null, "1.0", 3]) } : r)), ...Array.from({ length: Math.floor(rnd() * 4) }, row)]);
      const maxDiffRows = Math.floor(rnd() * 6);
      const tolerance = pick([0, 0.5]);
      const keys = ["id", "k2"];
      const columns = ["amount", "name"];
      const got = await mergeCompare(stream(expected), stream(actual), req({ keys, columns, maxDiffRows, tolerance: { default: tolerance, columns: {} } }), { types });
      expect(got, `seed ${seed}`).toEqual(naiveCompare(expected, actual, keys, columns, maxDiffRows, tolerance));
    }
  });
});
