import type { CustomTypesConfig } from "pg";
import type { CellValue } from "@assay/ports";
import { safeInteger } from "@assay/sql";

/**
 * Text-format parsers from PostgreSQL type OIDs to CellValue. They live in one object given to
 * each pool (never pg's global `types`), so another library in the process cannot change how
 * assay reads values, and nothing is silently converted to a float. Types not listed stay as
 * the server's text (arrays, ranges, geometric types, ...).
 */
type Parser = (text: string) => CellValue;

const keep: Parser = (text) => text;

function float(text: string): CellValue {
  const n = Number(text);
  // NaN and ±Infinity are not JSON numbers; keep PostgreSQL's spelling.
  return Number.isFinite(n) ? n : text;
}

function timestamp(text: string): CellValue {
  return /^\d{4,}-\d\d-\d\d /.test(text) ? text.replace(" ", "T") : text;
}

function timestamptz(text: string): CellValue {
  if (!/^\d{4,}-\d\d-\d\d /.test(text)) return text;
  const iso = text.replace(" ", "T");
  // Sessions run with TimeZone=UTC, so the offset is +00; keep any other offset in ISO form.
  const zone = /([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?$/.exec(iso);
  if (!zone) return iso;
  const [suffix, sign, hours, minutes = "00"] = zone;
  const head = iso.slice(0, iso.length - suffix.length);
  return hours === "00" && minutes === "00" ? `${head}Z` : `${head}${sign}${hours}:${minutes}`;
}

function bytea(text: string): CellValue {
  return text.startsWith("\\x") ? Buffer.from(text.slice(2), "hex").toString("base64") : text;
}

const PARSERS: Record<number, Parser> = {
  16: (text) => text === "t", // bool
  17: bytea,
  20: safeInteger, // int8: a number where exact, else the text
  21: Number, // int2
  23: Number, // int4
  26: Number, // oid
  700: float, // float4
  701: float, // float8
  1700: keep, // numeric: exact string
  1082: keep, // date, ISO with DateStyle=ISO
  1114: timestamp,
  1184: timestamptz,
  114: keep, // json
  3802: keep, // jsonb
};

/** A fresh `types` object for a pool's clients. */
export function cellTypeParsers(): CustomTypesConfig {
  const getTypeParser = (oid: number, format?: string): Parser => (format === "binary" ? keep : (PARSERS[oid] ?? keep));
  return { getTypeParser };
}
