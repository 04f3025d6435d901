import type { CellValue } from "@assay/ports";
import { canonicalDecimal, compareDecimals, parseDecimal, withinTolerance, type Decimal } from "./decimal.js";

/**
 * How COMPARE orders and equates cell values; the semantics every in-engine compare has:
 * NULL equals NULL and sorts first, numbers (and decimal strings of numeric columns) compare
 * by value, strings compare exactly, by code point (the engine's binary collation).
 */

/** Two values compare as numbers when their column is numeric, or when one is a JS number and both parse. */
function numericPair(a: CellValue, b: CellValue, numeric: boolean): [Decimal, Decimal] | null {
  if (!numeric && typeof a !== "number" && typeof b !== "number") return null;
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return x && y ? [x, y] : null;
}

/** The spellings of NaN and the infinities: engines (`NaN`, `nan`, `Infinity`, `inf`), the canonical encoding, JS numbers. */
const SPECIAL = new Map([["nan", "NaN"], ["inf", "inf"], ["+inf", "inf"], ["infinity", "inf"], ["+infinity", "inf"], ["-inf", "-inf"], ["-infinity", "-inf"]]);

/** NaN, `inf` or `-inf` for a special float (a number, or the text of one in a numeric column); else null. */
export function specialFloat(value: CellValue, numeric: boolean): string | null {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : value === Infinity ? "inf" : value === -Infinity ? "-inf" : null;
  return numeric && typeof value === "string" ? (SPECIAL.get(value.trim().toLowerCase()) ?? null) : null;
}

const RANK = { boolean: 0, number: 1, string: 2 } as const;

function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const cx = x[i]!.codePointAt(0)!;
    const cy = y[i]!.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
  return x.length - y.length < 0 ? -1 : x.length === y.length ? 0 : 1;
}

/** Orders two key values: NULLs first, then by value. */
export function compareCells(a: CellValue, b: CellValue, numeric = false): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const pair = numericPair(a, b, numeric);
  if (pair) return compareDecimals(pair[0], pair[1]);
  if (typeof a !== typeof b) return RANK[typeof a as keyof typeof RANK] - RANK[typeof b as keyof typeof RANK];
  if (typeof a === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (typeof a === "number") return a === b ? 0 : a < (b as number) ? -1 : 1;
  return codePointCompare(a, b as string);
}

/**
 * Equality of compared (non-key) values; numbers within `tolerance` (absolute) are equal; a
 * boolean equals 1 or 0 (as in-engine). NaN equals NaN and an infinity the same infinity, with a
 * tolerance too; against anything else they differ (their difference is no number within it).
 */
export function cellsEqual(a: CellValue, b: CellValue, numeric: boolean, tolerance: Decimal): boolean {
  if (a === null || b === null) return a === b;
  const special = [specialFloat(a, numeric), specialFloat(b, numeric)];
  if (special[0] !== null || special[1] !== null) return special[0] === special[1];
  if (typeof a === "boolean" && typeof b === "number") return Number(a) === b;
  if (typeof a === "number" && typeof b === "boolean") return a === Number(b);
  const pair = numericPair(a, b, numeric);
  if (pair) return withinTolerance(pair[0], pair[1], tolerance);
  return a === b;
}

/** A text that is equal for equal keys (used for sampling hashes). */
export function canonicalCell(value: CellValue, numeric: boolean): string {
  if (value === null) return "\u0000null";
  const d = numeric || typeof value === "number" ? parseDecimal(value) : null;
  if (d) return `n:${canonicalDecimal(d)}`;
  return `${typeof value}:${String(value)}`;
}

export function toleranceDecimal(value: number): Decimal {
  return parseDecimal(value) ?? { units: 0n, scale: 0 };
}
