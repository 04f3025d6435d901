import { baseType, isNumericType, type ChecksumEncoding, type ComparisonType } from "@assay/ports";
import { castTo, quoteIdent, type Dialect } from "../dialect.js";
import { concatOf, type ChecksumDialect } from "./dialect.js";

/** A column of a side, with its harmonised type and, where the other side's type differs, the type both encode it in. */
export interface EncodedColumn {
  name: string;
  type: string;
  encodeAs?: ChecksumEncoding | undefined;
}

/** The largest finite double: beyond it (or below its negative) a double is an infinity. */
const MAX_DOUBLE = "1.7976931348623157e308";

/**
 * Quanta are taken only of values within 2^32 tolerances of 0: there a double's rounding moves a
 * quantum by under 2^-19 of a tolerance, which the narrower divisor covers, so values in one
 * quantum never lie more than the tolerance apart. Beyond, the value is encoded exactly.
 */
export const QUANTISED_BELOW = 2 ** 32;

/** The divisor of a tolerance's quanta: a hair (2^-16) narrower than the tolerance. */
export function quantumDivisor(tolerance: number): number {
  return tolerance * (1 - 2 ** -16);
}

/**
 * The canonical text of one value: the same value gives the same bytes on every engine.
 * Exact numbers: decimal text without trailing zeros (`10.50` → `10.5`, `7.00` → `7`); floats:
 * the shortest round-trip text, `NaN`, `inf`, `-inf`, and `0` for -0; numbers with a tolerance
 * above 0 (checksum only): round(value / divisor) where that is small enough, else `=` and the
 * exact text, so values within the tolerance mostly meet (the rest are re-checked exactly);
 * booleans `1`/`0`; dates ISO; timestamps ISO with microseconds (timestamptz in UTC); text as
 * it is. A column with `encodeAs` is cast to that type first and encoded as it. NULL is null
 * here; cellText makes it unambiguous.
 */
export function canonicalValue(dialect: Dialect, hooks: ChecksumDialect, column: EncodedColumn, quantum: number): string {
  const own = baseType(column.type);
  const type = column.encodeAs ?? column.type;
  const base = baseType(type);
  const x = column.encodeAs && own !== base ? castTo(dialect, quoteIdent(column.name), { kind: column.encodeAs }, own) : quoteIdent(column.name);
  const cast = (e: string, to: Exclude<ComparisonType, { kind: "same" | "native" | "timestamp" | "timestamptz" }>) => castTo(dialect, e, to);
  const asText = (e: string) => cast(e, { kind: "text" });
  // Trailing zeros of a fraction go, then a bare point; TRIM and POSITION are standard (no regex
  // dialects). Integers never print a point: no test then. Decimals keep the test, since an
  // engine may print a whole decimal without its scale (100 for 100.00).
  const exactText = (e: string, of: string) => {
    if (baseType(of) !== "decimal") return asText(e);
    if (hooks.decimalText) return hooks.decimalText(e, of);
    return `CASE WHEN position('.' IN ${asText(e)}) > 0 THEN trim(TRAILING '.' FROM trim(TRAILING '0' FROM ${asText(e)})) ELSE ${asText(e)} END`;
  };
  // NaN first: PostgreSQL and DuckDB sort it above the infinities. -0 = 0 prints as 0.
  const floatText = (e: string) => {
    const max = cast(MAX_DOUBLE, { kind: "double" });
    const nan = hooks.isNaN ? hooks.isNaN(e) : `${e} <> ${e}`;
    return `CASE WHEN ${nan} THEN 'NaN' WHEN ${e} > ${max} THEN 'inf' WHEN ${e} < -${max} THEN '-inf' WHEN ${e} = 0 THEN '0' ELSE ${hooks.floatText ? hooks.floatText(e) : asText(e)} END`;
  };
  const exact = (): string => (base === "float" || base === "double" ? floatText(x) : exactText(x, type));
  if (isNumericType(type) && quantum > 0) {
    // The bound on the value, not on the quotient: PostgreSQL fails a division that overflows
    // (1e308 / 0.5). NaN and the infinities fail it too (NaN compares false, or above everything).
    const divisor = quantumDivisor(quantum);
    const d = cast(x, { kind: "double" });
    // A whole decimal: its zeros are digits (DuckDB's decimalText trims them from a scaled one: 100 → 1).
    const quantised = exactText(cast(`round(${d} / ${String(divisor)})`, { kind: "exact", scale: 0 }), "decimal(38,0)");
    const bound = String(Math.min(QUANTISED_BELOW * divisor, Number.MAX_VALUE));
    return `CASE WHEN abs(${d}) < ${bound} THEN ${quantised} ELSE ${concatOf(hooks)(["'='", exact()])} END`;
  }
  if (isNumericType(type)) return exact();
  if (base === "boolean") return `CASE WHEN ${x} THEN '1' WHEN NOT ${x} THEN '0' END`;
  if ((base === "timestamp" || base === "timestamptz") && hooks.timestampText) return hooks.timestampText(x, base === "timestamptz");
  return hooks.text ? hooks.text(x) : asText(x);
}

/** Types whose canonical text never holds `~` or `|`: written as they are. */
const PLAIN = new Set(["int", "bigint", "smallint", "tinyint", "hugeint", "decimal", "float", "double", "boolean", "date", "timestamp", "timestamptz"]);

/**
 * One cell of a row text: `~N` for NULL, else the canonical text with `~` written `~~` and `|`
 * written `~|` (text only: numbers, dates and booleans hold neither). Cells are joined by `|`,
 * so no two sequences of values give the same text; each value is computed once.
 */
export function cellText(hooks: ChecksumDialect, value: string, type: string): string {
  const escaped = PLAIN.has(baseType(type)) ? value : `replace(replace(${value}, '~', '~~'), '|', '~|')`;
  return `coalesce(${escaped}, '~N')`;
}

/** The canonical text of several columns, one after another. */
export function rowText(dialect: Dialect, hooks: ChecksumDialect, columns: EncodedColumn[], quantum: (column: string) => number): string {
  const cells = columns.map((c) => cellText(hooks, canonicalValue(dialect, hooks, c, quantum(c.name)), c.type));
  return cells.length === 1 ? cells[0]! : concatOf(hooks)(cells.flatMap((cell, i) => (i === 0 ? [cell] : ["'|'", cell])));
}
