import {
  DuckDBTypeId,
  JsonDuckDBValueConverter,
  type DuckDBBlobValue,
  type DuckDBTimestampTZValue,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBValueConverter,
} from "@duckdb/node-api";
import type { CellValue } from "@assay/ports";

const MICROS_PER_MILLI = 1000n;

function fromBigInt(value: bigint): CellValue {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

function fromDouble(value: number): CellValue {
  // CellValue numbers are finite; NaN and the infinities travel as DuckDB spells them.
  return Number.isFinite(value) ? value : String(value);
}

/** `2024-01-01 10:00:00.5` → `2024-01-01T10:00:00.5`; special values (infinity) stay as they are. */
function isoLocal(text: string): string {
  return /^\d{4,}-\d\d-\d\d \d/.test(text) ? text.replace(" ", "T") : text;
}

/** A TIMESTAMP WITH TIME ZONE in UTC (`...Z`), independent of the process's time zone. */
function isoUtc(value: DuckDBTimestampTZValue): string {
  const micros = value.micros;
  const millis = micros / MICROS_PER_MILLI - (micros % MICROS_PER_MILLI < 0n ? 1n : 0n);
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime())) return value.toString();
  const subMillis = Number(micros - millis * MICROS_PER_MILLI);
  const base = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const fraction = (base.slice(20, 23) + String(subMillis).padStart(3, "0")).replace(/0+$/, "");
  return `${base.slice(0, 19)}${fraction ? `.${fraction}` : ""}Z`;
}

/**
 * DuckDB values → CellValue: integers within 2^53 as numbers, wider ones and decimals as exact
 * strings, temporal values as ISO-8601 strings, BLOBs as base64, nested values as JSON text.
 */
export const toCellValue: DuckDBValueConverter<CellValue> = (value: DuckDBValue, type: DuckDBType): CellValue => {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return value as boolean;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
      return value as number;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return typeof value === "bigint" ? fromBigInt(value) : String(value);
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return fromDouble(value as number);
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return String(value);
    case DuckDBTypeId.BLOB:
      return Buffer.from((value as DuckDBBlobValue).bytes).toString("base64");
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return isoLocal(String(value));
    case DuckDBTypeId.TIMESTAMP_TZ:
      return isoUtc(value as DuckDBTimestampTZValue);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
    case DuckDBTypeId.VARIANT:
      return JSON.stringify(JsonDuckDBValueConverter(value, type, JsonDuckDBValueConverter));
    default:
      // DATE, TIME, DECIMAL, INTERVAL, UUID, BIT, TIME_TZ: DuckDB's own text is exact and ISO-shaped.
      return String(value);
  }
};
