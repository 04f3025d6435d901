import { castTo, quoteIdent, type Dialect } from "../dialect.js";
import { baseType, isNumericType } from "../types.js";
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
  const asText = (e: string) => castTo(dialect, e, { kind: "text" });
  // Trailing zeros of a fraction go, then a bare point; TRIM and POSITION are standard (no regex dialects).
  const exactText = (e: string) => `CASE WHEN position('.' IN ${asText(e)}) > 0 THEN trim(TRAILING '.' FROM trim(TRAILING '0' FROM ${asText(e)})) ELSE ${asText(e)} END`;
  if (isNumericType(column.type) && quantum > 0) {
    return exactText(castTo(dialect, `round(${castTo(dialect, x, { kind: "double" })} / ${String(quantum)})`, { kind: "exact", scale: 0 }));
  }
  if (base === "float" || base === "double") return hooks.floatText ? hooks.floatText(x) : asText(x);
  if (isNumericType(column.type)) return exactText(x);
  if (base === "boolean") return `CASE WHEN ${x} THEN '1' ELSE '0' END`;
  if ((base === "timestamp" || base === "timestamptz") && hooks.timestampText) return hooks.timestampText(x, base === "timestamptz");
  return hooks.text ? hooks.text(x) : asText(x);
}

/** `N` for NULL, else `V<length>:<text>`: no two sequences of values give the same text. */
export function cellText(dialect: Dialect, hooks: ChecksumDialect, value: string, column: string): string {
  const concat = concatOf(hooks);
  const length = hooks.charLength ? hooks.charLength(value) : `char_length(${value})`;
  return `CASE WHEN ${quoteIdent(column)} IS NULL THEN 'N' ELSE ${concat(["'V'", castTo(dialect, length, { kind: "text" }), "':'", value])} END`;
}

/** The canonical text of several columns, one after another. */
export function rowText(dialect: Dialect, hooks: ChecksumDialect, columns: EncodedColumn[], quantum: (column: string) => number): string {
  const concat = concatOf(hooks);
  const cells = columns.map((c) => cellText(dialect, hooks, canonicalValue(dialect, hooks, c, quantum(c.name)), c.name));
  return cells.length === 1 ? cells[0]! : concat(cells);
}
