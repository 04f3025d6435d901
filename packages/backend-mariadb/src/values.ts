import type { FieldPacket } from "mysql2";
import type { CellValue, Row } from "@assay/ports";
import { isoTimestamp } from "@assay/sql";

/** Native types from the protocol's column metadata; DATETIME as ISO text, TINYINT(1) as boolean, bytes as base64. */
const [UNSIGNED, BINARY_CHARSET] = [32, 63];
const INTEGERS: Record<number, string> = { 1: "tinyint", 2: "smallint", 3: "int", 8: "bigint", 9: "mediumint" };
const NAMES: Record<number, string> = { 4: "float", 5: "double", 6: "null", 7: "timestamp", 10: "date", 11: "time", 12: "datetime", 13: "year", 14: "date", 16: "bit", 245: "json", 247: "enum", 248: "set", 255: "geometry" };

/** The native type of a result column, as information_schema would spell it (`decimal(12,2)`, `bigint unsigned`). */
export function nativeType(field: FieldPacket): string {
  const type = field.columnType ?? 253;
  const unsigned = typeof field.flags === "number" && (field.flags & UNSIGNED) !== 0;
  const length = field.columnLength ?? 0;
  if (type === 1 && length === 1) return "boolean";
  const integer = INTEGERS[type];
  if (integer) return `${integer}${unsigned ? " unsigned" : ""}`;
  if (type === 0 || type === 246) return `decimal(${length - (field.decimals > 0 ? 1 : 0) - (unsigned ? 0 : 1)},${field.decimals})`;
  if (NAMES[type]) return NAMES[type];
  const binary = field.characterSet === BINARY_CHARSET;
  if (type === 15 || type === 253) return binary ? "varbinary" : "varchar";
  if (type === 254) return binary ? "binary" : "char";
  return binary ? "blob" : "text";
}

/** Types whose values are bytes when their character set is binary (and BIT always). */
const BYTES = new Set([15, 16, 249, 250, 251, 252, 253, 254, 255]);
type Convert = (value: unknown) => CellValue;
const [toBoolean, isoDateTime, base64]: [Convert, Convert, Convert] = [
  (v) => (v === null ? null : Number(v) !== 0),
  isoTimestamp,
  (v) => (Buffer.isBuffer(v) ? v.toString("base64") : (v as CellValue)),
];

/** A function that turns a row of these columns into CellValues. */
export function rowConverter(fields: FieldPacket[] | undefined): (row: Record<string, unknown>) => Row {
  const conversions: Array<[string, Convert]> = [];
  for (const field of fields ?? []) {
    const type = nativeType(field);
    if (type === "boolean") conversions.push([field.name, toBoolean]);
    else if (type === "datetime" || type === "timestamp") conversions.push([field.name, isoDateTime]);
    else if (BYTES.has(field.columnType ?? 0) && (field.characterSet === BINARY_CHARSET || field.columnType === 16)) conversions.push([field.name, base64]);
  }
  if (conversions.length === 0) return (row) => row as Row;
  return (row) => {
    for (const [name, convert] of conversions) row[name] = convert(row[name]);
    return row as Row;
  };
}
