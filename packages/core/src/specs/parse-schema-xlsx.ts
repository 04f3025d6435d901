import ExcelJS from "exceljs";
import { ConfigError } from "@assay/ports";
import type { SchemaSpec } from "../model.js";
import { schemaFromTable, type TableRow } from "./schema-table.js";
import type { SpecOrigin } from "./spec-base.js";

/** `<object>.schema.xlsx`: the sheet `schema`, laid out like the CSV form. */
export async function parseSchemaXlsx(bytes: Uint8Array, origin: SpecOrigin): Promise<SchemaSpec> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw new ConfigError("SPEC_INVALID", `The file is not a readable xlsx workbook: ${(error as Error).message}`, {
      where: { file: origin.path },
      expected: "an Excel .xlsx file",
      fix: "Save the file as an Excel workbook (.xlsx).",
    });
  }
  const sheet = workbook.worksheets.find((s) => s.name.trim().toLowerCase() === "schema");
  if (!sheet) {
    const names = workbook.worksheets.map((s) => s.name);
    throw new ConfigError("SPEC_INVALID", `The workbook has no sheet named "schema"${names.length ? ` (it has: ${names.join(", ")})` : ""}`, {
      where: { file: origin.path },
      expected: 'a sheet named "schema"',
      fix: 'Rename the sheet holding the columns to "schema".',
    });
  }
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 5); c++) cells.push(row.getCell(c).text ?? "");
    if (cells.some((c) => c.trim() !== "")) rows.push({ line: rowNumber, cells });
  });
  return schemaFromTable(origin, rows[0], rows.slice(1), `xlsx sheet "schema"`);
}
