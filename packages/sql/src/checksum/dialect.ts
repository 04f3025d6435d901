/**
 * The few expressions of the canonical row encoding that differ per engine. Everything else is
 * written once in encode.ts with standard SQL (CASE, CAST, char_length, substr, md5,
 * regexp_replace), which DuckDB, PostgreSQL, MariaDB and ClickHouse all have.
 */
export interface ChecksumDialect {
  /** An integer from an expression of `digits` lower-case hex digits (at most 12). */
  hexToInt: (hex: string, digits: number) => string;
  /** Lower-case hex md5 of a text; default `md5(x)`. */
  md5?: (text: string) => string;
  /** Text concatenation; default `a || b || c`. */
  concat?: (parts: string[]) => string;
  /**
   * A finite float other than 0 as the shortest text that reads back to it, without a trailing
   * `.0`; default the engine's cast to text (encode.ts spells NaN, the infinities and -0).
   * Engines that print a value differently cost a re-check, never a miss.
   */
  floatText?: (value: string) => string;
  /** Whether a float is NaN; default `x <> x` (IEEE: NaN differs from itself), wrong where NaN = NaN (PostgreSQL, DuckDB). */
  isNaN?: (value: string) => string;
  /**
   * An exact number of harmonised type `type` (`decimal(12,2)`, `decimal`) as decimal text
   * without trailing zeros or a bare point; default a portable CASE over its text (three casts).
   */
  decimalText?: (value: string, type: string) => string;
  /** A timestamp as `YYYY-MM-DDTHH:MM:SS.ffffff`; `utc`: a timestamptz, converted to UTC first. */
  timestampText?: (value: string, utc: boolean) => string;
  /** A text value as it is compared, where the engine's cast or collation would change it; default the cast. */
  text?: (value: string) => string;
  /** A sum of integers that never wraps; default `sum(x)`. */
  sum?: (value: string) => string;
}

/** Text concatenation of the dialect: `a || b`, or its own. */
export function concatOf(hooks: ChecksumDialect): (parts: string[]) => string {
  return hooks.concat ?? ((parts) => parts.join(" || "));
}
