import { describe, expect, it } from "vitest";
import { checksumRowsStatement } from "../src/checksum/plan.js";
import { canonicalValue, QUANTISED_BELOW, quantumDivisor } from "../src/checksum/encode.js";
import type { Dialect } from "../src/index.js";
import { standard as standardDialect } from "./standard-dialect.js";

/** The standard dialect with the one required checksum hook. */
const standard: Dialect = { ...standardDialect, checksum: { hexToInt: (hex) => `CAST(${hex} AS BIGINT)` } };
const hooks = standard.checksum!;

/** A finite double as an exact fraction: numerator over 2^shift. */
function exact(x: number): { n: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const biased = (bits >> 52n) & 0x7ffn;
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0n ? fraction : fraction | (1n << 52n);
  return { n: sign * mantissa, shift: 1075n - (biased === 0n ? 1n : biased) };
}

/** |a - b| < tolerance exactly, the tolerance read as decimal text as core reads it (0.1 is one tenth). */
function within(a: number, b: number, tolerance: number): boolean {
  const [x, y] = [exact(a), exact(b)];
  const shift = x.shift > y.shift ? x.shift : y.shift;
  let diff = x.n * 2n ** (shift - x.shift) - y.n * 2n ** (shift - y.shift);
  if (diff < 0n) diff = -diff;
  const [whole, fraction = ""] = String(tolerance).split(".");
  const t = BigInt(`${whole}${fraction}`);
  return diff * 10n ** BigInt(fraction.length) < t * 2n ** shift;
}

/** The next double up or down (finite, non-zero x). */
function step(x: number, up: boolean): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, bits + ((x > 0) === up ? 1n : -1n));
  return view.getFloat64(0);
}

/** SQL's round of a double: half away from zero (DuckDB, MariaDB) or half to even (PostgreSQL's rint, ClickHouse). */
const ROUNDINGS = {
  awayFromZero: (r: number) => Math.sign(r) * Math.round(Math.abs(r)),
  toEven: (r: number) => {
    const f = Math.floor(r);
    return r - f !== 0.5 ? Math.round(r) : f % 2 === 0 ? f : f + 1;
  },
};

describe("tolerance quanta of the checksum encoding", () => {
  // Values in one quantum are never more than the tolerance apart, however a double rounds: the
  // widest bucket (its lowest and highest double) is checked exactly, near 0 and near the bound.
  it.each([0.5, 1, 0.01, 0.1, 1e-6, 30_000, 0.3])("equal quanta of tolerance %s imply a difference below it, whichever way SQL rounds", (tolerance) => {
    const divisor = quantumDivisor(tolerance);
    for (const [name, round] of Object.entries(ROUNDINGS)) {
      for (const quantum of [1, 2, 7, -3, 12_345, 2 ** 31 + 1, -(2 ** 32 - 3), 2 ** 32 - 2]) {
        const of = (x: number) => round(x / divisor);
        let low = (quantum - 0.5) * divisor;
        while (of(low) === quantum) low = step(low, false);
        while (of(low) !== quantum) low = step(low, true);
        let high = (quantum + 0.5) * divisor;
        while (of(high) === quantum) high = step(high, true);
        while (of(high) !== quantum) high = step(high, false);
        expect(Math.abs(low) < QUANTISED_BELOW * divisor || Math.abs(high) < QUANTISED_BELOW * divisor).toBe(true);
        expect(within(low, high, tolerance), `${name}: ${low} and ${high} share quantum ${quantum}`).toBe(true);
      }
    }
  });

  it("quantises only below the bound on the value (no division can overflow), else writes the exact value behind '='", () => {
    const sql = canonicalValue(standard, hooks, { name: "x", type: "double" }, 0.5);
    expect(sql).toContain(`WHEN abs(CAST("x" AS DOUBLE PRECISION)) < ${QUANTISED_BELOW * quantumDivisor(0.5)} THEN`);
    expect(sql).toMatch(/ELSE '=' \|\| CASE WHEN "x" <> "x" THEN 'NaN' WHEN "x" > CAST\(1\.7976931348623157e308 AS DOUBLE PRECISION\) THEN 'inf'/);
    // A tolerance so wide that every finite value is quantised: the bound is the largest double, never Infinity.
    expect(canonicalValue(standard, hooks, { name: "x", type: "double" }, 1e300)).toContain("< 1.7976931348623157e+308 THEN");
  });

  it("writes a quantum as a whole decimal, keeping its trailing zeros (100 is not the quantum 1)", () => {
    const trimmed: Dialect = { ...standard, checksum: { ...hooks, decimalText: (x, type) => (/,0\)$/.test(type) ? `KEEP(${x})` : `TRIM0(${x})`) } };
    expect(canonicalValue(trimmed, trimmed.checksum!, { name: "n", type: "bigint" }, 1)).toContain("THEN KEEP(CAST(round(");
  });
});

describe("special floats in the checksum encoding", () => {
  it("spells NaN (by the dialect's test), the infinities and -0 itself, before the engine's float text", () => {
    const own = { ...hooks, isNaN: (x: string) => `isnan(${x})`, floatText: (x: string) => `FT(${x})` };
    const sql = canonicalValue({ ...standard, checksum: own }, own, { name: "x", type: "float" }, 0);
    expect(sql).toBe(`CASE WHEN isnan("x") THEN 'NaN' WHEN "x" > CAST(1.7976931348623157e308 AS DOUBLE PRECISION) THEN 'inf' WHEN "x" < -CAST(1.7976931348623157e308 AS DOUBLE PRECISION) THEN '-inf' WHEN "x" = 0 THEN '0' ELSE FT("x") END`);
  });
});

describe("a column encoded in the type both sides meet in", () => {
  it("casts a DATE to TIMESTAMP and a DECIMAL to DOUBLE before encoding, and leaves a side already of that type alone", () => {
    const ts: Dialect = { ...standard, checksum: { ...hooks, timestampText: (x) => `TS(${x})` } };
    expect(canonicalValue(ts, ts.checksum!, { name: "d", type: "date", encodeAs: "timestamp" }, 0)).toBe(`TS(CAST("d" AS TIMESTAMP))`);
    expect(canonicalValue(ts, ts.checksum!, { name: "t", type: "timestamp", encodeAs: "timestamp" }, 0)).toBe(`TS("t")`);
    expect(canonicalValue(ts, ts.checksum!, { name: "d", type: "date", encodeAs: "timestamptz" }, 0)).toBe(`TS(CAST("d" AS TIMESTAMP WITH TIME ZONE))`);
    expect(canonicalValue(standard, hooks, { name: "x", type: "decimal(30,20)", encodeAs: "double" }, 0)).toContain(`ELSE CAST(CAST("x" AS DOUBLE PRECISION) AS VARCHAR) END`);
    expect(canonicalValue(standard, hooks, { name: "x", type: "double", encodeAs: "double" }, 0)).toContain(`ELSE CAST("x" AS VARCHAR) END`);
  });

  it("shows each side's own value in the rows, uncast", () => {
    const side = {
      dialect: standard, hooks, from: "t", quantum: () => 0,
      keys: [{ name: "id", type: "int", as: "id" }], columns: [{ name: "d", type: "date", as: "d", encodeAs: "timestamp" as const }],
    };
    const sql = checksumRowsStatement(side, { bits: 0, segments: [0] });
    expect(sql).toContain(`CAST(CAST("d" AS TIMESTAMP) AS VARCHAR) AS "d"`);
    expect(sql).toContain(`__assay_h."d" AS "__assay_v1"`);
  });
});
