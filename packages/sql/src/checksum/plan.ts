import { KEY_HASH_COLUMN, KEY_TEXT_COLUMN, ownValueColumn, type ChecksumScope } from "@assay/ports";
import { quoteIdent, type Dialect } from "../dialect.js";
import { concatOf, type ChecksumDialect } from "./dialect.js";
import { canonicalValue, rowText, type EncodedColumn } from "./encode.js";

/** One side of a checksum statement: where its rows come from and how they are encoded. */
export interface ChecksumSide {
  dialect: Dialect;
  hooks: ChecksumDialect;
  /** A table reference or a parenthesised query, without an alias. */
  from: string;
  /** Key and compared columns as the side names them (each with the name the caller asked by). */
  keys: Array<EncodedColumn & { as: string }>;
  columns: Array<EncodedColumn & { as: string }>;
  /** Tolerance per column (by the caller's name). */
  quantum(column: string): number;
}

const KH = quoteIdent(KEY_HASH_COLUMN);

function md5(side: ChecksumSide, text: string): string {
  return side.hooks.md5 ? side.hooks.md5(text) : `md5(${text})`;
}

/** The first `digits` hex digits of the md5 of a text, as an integer. */
function hashInt(side: ChecksumSide, text: string, digits: number): string {
  return side.hooks.hexToInt(`substr(${md5(side, text)}, 1, ${digits})`, digits);
}

function keyText(side: ChecksumSide): string {
  return rowText(side.dialect, side.hooks, side.keys, () => 0);
}

/** The segment of a key hash at `bits`: its top bits (exact in a double: the divisor is a power of two). */
function segmentOf(bits: number): string {
  return bits === 0 ? "0" : `floor(${KH} / ${2 ** (32 - bits)})`;
}

/** Every row with its key hash, restricted to a scope. Integers in the SQL are ours, validated by the port's schema. */
function hashedRows(side: ChecksumSide, within: ChecksumScope | null): string {
  const where = within ? ` WHERE ${segmentOf(within.bits)} IN (${within.segments.map((s) => String(Math.trunc(s))).join(", ")})` : "";
  return `(SELECT * FROM (SELECT ${hashInt(side, keyText(side), 8)} AS ${KH}, __assay_src.* FROM ${side.from} AS __assay_src) AS __assay_k${where}) AS __assay_h`;
}

/**
 * Per non-empty segment: rows, keys occurring more than once (when asked: a grouping by the
 * key's md5, never by its text, so no collation folds two keys), and the sum of the row hashes
 * (the first 12 hex digits of the md5 of the key and row text). A sum, not an XOR: equal rows
 * never cancel out.
 */
export function checksumStatement(side: ChecksumSide, bits: number, within: ChecksumScope | null, countDuplicates: boolean): string {
  const concat = concatOf(side.hooks);
  const full = side.columns.length ? concat([keyText(side), "'|'", rowText(side.dialect, side.hooks, side.columns, (c) => side.quantum(c))]) : keyText(side);
  const sum = side.hooks.sum ?? ((v: string) => `sum(${v})`);
  const rowHash = hashInt(side, full, 12);
  if (!countDuplicates) {
    return `SELECT seg, count(*) AS n, 0 AS dups, ${sum("rh")} AS s FROM (SELECT ${segmentOf(bits)} AS seg, ${rowHash} AS rh FROM ${hashedRows(side, within)}) AS __assay_r GROUP BY seg ORDER BY seg`;
  }
  return `SELECT seg, ${sum("n")} AS n, ${sum("CASE WHEN n > 1 THEN 1 ELSE 0 END")} AS dups, ${sum("s")} AS s FROM (
    SELECT seg, kd, count(*) AS n, ${sum("rh")} AS s FROM (SELECT ${segmentOf(bits)} AS seg, ${md5(side, keyText(side))} AS kd, ${rowHash} AS rh FROM ${hashedRows(side, within)}) AS __assay_r GROUP BY seg, kd
  ) AS __assay_g GROUP BY seg ORDER BY seg`;
}

/**
 * Whether any key occurs more than once on the side, grouped by the raw key values. Cheap (no
 * encoding; an index can serve it) and never wrong in the direction that matters: keys with the
 * same canonical text are equal in the engine, so a side without a repeated key here has none.
 * A collation that folds distinct keys ('a' and 'A') only sends the side to the exact count.
 */
export function repeatedKeyStatement(side: ChecksumSide): string {
  const keys = side.keys.map((k) => `__assay_src.${quoteIdent(k.name)}`).join(", ");
  return `SELECT 1 AS r FROM ${side.from} AS __assay_src GROUP BY ${keys} HAVING count(*) > 1 LIMIT 1`;
}

/**
 * The rows of a scope in canonical form, by key hash: the final comparison reads these, and the
 * differing rows show each value as the engine gives it. The own values are qualified: an engine
 * whose aliases are visible in the same SELECT (ClickHouse) would read the canonical text.
 */
export function checksumRowsStatement(side: ChecksumSide, within: ChecksumScope): string {
  const all = [...side.keys, ...side.columns];
  const cells = all.map((c) => `${canonicalValue(side.dialect, side.hooks, c, 0)} AS ${quoteIdent(c.as)}`);
  const own = all.map((c, i) => `__assay_h.${quoteIdent(c.name)} AS ${quoteIdent(ownValueColumn(i))}`);
  return `SELECT ${KH}, ${keyText(side)} AS ${quoteIdent(KEY_TEXT_COLUMN)}, ${[...cells, ...own].join(", ")} FROM ${hashedRows(side, within)} ORDER BY ${KH}`;
}
