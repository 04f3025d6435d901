import { describe, expect, it } from "vitest";
import type { DiffRow, Row } from "@assay/ports";
import { FirstDiffs } from "../src/compare/checksum-compare.js";

const row = (key: Row, kind: DiffRow["kind"] = "mismatch"): DiffRow => ({ kind, key, expected: key, actual: key, columns: [] });
const keysOf = (d: FirstDiffs) => d.rows.map((r) => Object.values(r.key));

describe("FirstDiffs: the first maxDiffRows differing rows of a cross-database COMPARE in key order", () => {
  it("keeps the smallest keys whatever order segments offer them in, numbers by value, and says the rest were left out", () => {
    const d = new FirstDiffs(3, ["id"], [true]);
    for (const id of [40, 7, "100", 9, 12, 3]) d.offer(row({ id }));
    expect(keysOf(d)).toEqual([[3], [7], [9]]);
    expect([d.offered, d.truncated]).toEqual([6, true]);
  });

  it("orders text by code point with NULLs first, and composite keys column by column", () => {
    const d = new FirstDiffs(10, ["k", "n"], [false, true]);
    for (const [k, n] of [["é", 1], ["a", 2], [null, 5], ["Z", 1], ["a", 10], ["", 3]] as const) d.offer(row({ k, n }));
    expect(keysOf(d)).toEqual([[null, 5], ["", 3], ["Z", 1], ["a", 2], ["a", 10], ["é", 1]]);
    expect(d.truncated).toBe(false);
  });

  it("keeps a key duplicated on both sides in the order offered (expected, then actual), also at the limit", () => {
    const d = new FirstDiffs(2, ["id"], [true]);
    d.offer(row({ id: 5 }));
    d.offer({ ...row({ id: 2 }, "duplicate"), side: "expected", count: 2 });
    d.offer({ ...row({ id: 2 }, "duplicate"), side: "actual", count: 3 });
    expect(d.rows.map((r) => [r.key.id, r.side])).toEqual([[2, "expected"], [2, "actual"]]);
    expect(d.truncated).toBe(true);
  });

  it("keeps nothing with maxDiffRows 0, truncated once a row differs", () => {
    const d = new FirstDiffs(0, ["id"], [true]);
    expect(d.truncated).toBe(false);
    d.offer(row({ id: 1 }));
    expect([d.rows, d.truncated]).toEqual([[], true]);
  });
});
