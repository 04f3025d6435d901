import { castTo, quoteIdent, type Dialect } from "../dialect.js";
import { baseType, isNumericType, type ComparisonType } from "../types.js";
import { concatOf, type ChecksumDialect } from "./dialect.js";

/** A column of a side, with its harmonised type. */
export interface EncodedColumn {
  name: string;
  type: string;
}

/**
 * The canonical text of one value: the same value gives the same bytes on every engine.
 * Exact numbers: decimal text without trailing zeros (`10.50` → `10.5`, `7.00` → `7`); floats:
 * the shortest round-trip text; numbers with a tolerance above 0 (checksum only): round(value /
 * tolerance), so values within the tolerance mostly meet (the rest are re-checked exactly);
 * booleans `1`/`0`; dates ISO; timestamps ISO with microseconds (timestamptz in UTC); text as
 * it is. NULL is null here; cellText makes it unambiguous.
 */
export function canonicalValue(dialect: Dialect, hooks: ChecksumDialect, column: EncodedColumn, quantum: number): string {
  const x = quoteIdent(column.name);
  const base = baseType(column.type);
  const cast = (e: string, type: Exclude<ComparisonType, { kind: "same" | "native" | "timestamp" | "timestamptz" }>) =>
    castTo(dialect, e, type);
  const asText = (e: string) => cast(e, { kind: "text" });
  // Trailing zeros of a fraction go, then a bare point; TRIM and POSITION are standard (no regex
  // dialects). Integers never print a point: no test then. Decimals keep the test, since an
  // engine may print a whole decimal without its scale (100 for 100.00).
  const exactText = (e: string, type = "decimal") => {
    if (baseType(type) !== "decimal") return asText(e);
    if (hooks.decimalText) return hooks.decimalText(e, type);
    return `CASE WHEN position('.' IN ${asText(e)}) > 0 THEN trim(TRAILING '.' FROM trim(TRAILING '0' FROM ${asText(e)})) ELSE ${asText(e)} END`;
  };
  if (isNumericType(column.type) && quantum > 0) {
    return exactText(cast(`round(${cast(x, { kind: "double" })} / ${String(quantum)})`, { kind: "exact", scale: 0 }));
  }
  if (base === "float" || base === "double") return hooks.floatText ? hooks.floatText(x) : asText(x);
  if (isNumericType(column.type)) return exactText(x, column.type);
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
