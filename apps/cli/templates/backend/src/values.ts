import { DuckDBTypeId, JsonDuckDBValueConverter, type DuckDBBlobValue, type DuckDBTimestampTZValue, type DuckDBValueConverter } from "@duckdb/node-api";
import type { CellValue } from "@assay/ports";

/**
 * The engine's values → the port's plain values: integers within 2^53 as numbers, wider ones
 * and decimals as exact strings, dates `YYYY-MM-DD`, timestamps ISO-8601 (`T`; with a time zone
 * in UTC with `Z`), binary as base64, nested values as JSON text.
 */
export const toCellValue: DuckDBValueConverter<CellValue> = (value, type) => {
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
    case DuckDBTypeId.UHUGEINT: {
      const big = value as bigint;
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      // Port numbers are finite: NaN and the infinities travel as text.
      return Number.isFinite(value) ? (value as number) : String(value);
    case DuckDBTypeId.BLOB:
      return Buffer.from((value as DuckDBBlobValue).bytes).toString("base64");
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return String(value).replace(" ", "T");
    case DuckDBTypeId.TIMESTAMP_TZ:
      return utc((value as DuckDBTimestampTZValue).micros) ?? String(value);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return JSON.stringify(JsonDuckDBValueConverter(value, type, JsonDuckDBValueConverter));
    default:
      // VARCHAR, DATE, TIME, DECIMAL, INTERVAL, UUID: DuckDB's own text is exact and ISO-shaped.
      return String(value);
  }
};

/** Microseconds since the epoch → `2024-01-01T10:00:00.123456Z` (trailing zeros dropped), independent of the process's time zone. */
function utc(micros: bigint): string | null {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime())) return null;
  const fraction = `${date.toISOString().slice(20, 23)}${String(micros - millis * 1000n).padStart(3, "0")}`.replace(/0+$/, "");
  return `${date.toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ""}Z`;
}
