import writeXlsxFile, { type Cell } from "write-excel-file/node";

/**
 * A cell to write. Numbers are written as numbers and dates as dates (with `format`, default
 * yyyy-mm-dd, or yyyy-mm-dd hh:mm:ss when the date has a time), so a reader can sum and filter.
 */
export type XlsxCell =
  | string
  | number
  | boolean
  | Date
  | null
  | { value: string | number | boolean | Date | null; bold?: boolean; fill?: string; color?: string; format?: string; wrap?: boolean };

export interface XlsxWriteSheet {
  /** At most 31 characters, without : \ / ? * [ ]; made so when it is not. */
  name: string;
  rows: XlsxCell[][];
  /** Column widths in characters. */
  widths?: number[];
  /** Rows kept in view while scrolling (e.g. 1 for a header row). */
  stickyRows?: number;
}

function hasTime(date: Date): boolean {
  return date.getUTCHours() !== 0 || date.getUTCMinutes() !== 0 || date.getUTCSeconds() !== 0 || date.getUTCMilliseconds() !== 0;
}

function cellOf(cell: XlsxCell): Cell {
  const object = cell !== null && typeof cell === "object" && !(cell instanceof Date) ? cell : { value: cell };
  const { value } = object;
  if (value === null || value === undefined) return null;
  const style = {
    ...(object.bold ? { fontWeight: "bold" as const } : {}),
    ...(object.fill ? { backgroundColor: object.fill } : {}),
    ...(object.color ? { color: object.color } : {}),
    ...(object.wrap ? { wrap: true } : {}),
  };
  if (value instanceof Date) return { value, type: Date, format: object.format ?? (hasTime(value) ? "yyyy-mm-dd hh:mm:ss" : "yyyy-mm-dd"), ...style };
  if (typeof value === "number") return { value, type: Number, ...(object.format ? { format: object.format } : {}), ...style };
  if (typeof value === "boolean") return { value, type: Boolean, ...style };
  return { value, type: String, ...style };
}

/** Sheet names: unique, at most 31 characters, none of the characters Excel refuses. */
function sheetNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((raw) => {
    const base = raw.replace(/[:\\/?*[\]]/g, "_").trim().slice(0, 31) || "Sheet";
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)}~${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** An .xlsx workbook of the given sheets. */
export async function writeWorkbook(sheets: XlsxWriteSheet[]): Promise<Uint8Array> {
  if (sheets.length === 0) throw new Error("A workbook needs at least one sheet");
  const names = sheetNames(sheets.map((s) => s.name));
  const buffer = await writeXlsxFile(
    sheets.map((sheet, i) => ({
      sheet: names[i]!,
      data: sheet.rows.map((row) => row.map(cellOf)),
      ...(sheet.widths ? { columns: sheet.widths.map((width) => ({ width })) } : {}),
      ...(sheet.stickyRows ? { stickyRowsCount: sheet.stickyRows } : {}),
    })),
  ).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
