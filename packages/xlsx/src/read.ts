import readXlsxFile from "read-excel-file/node";

/** A cell as read: text, a number, a boolean, a date, or null for an empty cell. */
export type XlsxValue = string | number | boolean | Date | null;

export interface XlsxSheet {
  name: string;
  /** Rows top to bottom; rows[0] is the sheet's first row (row number 1). */
  rows: XlsxValue[][];
}

/** The bytes are not a workbook this reader understands. */
export class XlsxReadError extends Error {
  override readonly name = "XlsxReadError";
}

/** Every sheet of an .xlsx workbook, with its cell values. */
export async function readWorkbook(bytes: Uint8Array): Promise<XlsxSheet[]> {
  try {
    const sheets = await readXlsxFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { trim: false });
    return sheets.map((s) => ({ name: s.sheet, rows: s.data as unknown as XlsxValue[][] }));
  } catch (error) {
    throw new XlsxReadError((error as Error).message || String(error), { cause: error });
  }
}
