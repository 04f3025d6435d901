import type * as XlsxModule from "@assay/xlsx";
import { ConfigError } from "@assay/ports";
import type { SchemaSpec } from "../model.js";
import { schemaFromTable, type TableRow } from "./schema-table.js";
import type { SpecOrigin } from "./spec-base.js";

type XlsxSupport = typeof XlsxModule;

/** The optional package that reads workbooks; core does not carry a spreadsheet library. */
export const XLSX_PACKAGE = "@assay/xlsx";

/** Loads @assay/xlsx, or null when it is not installed (any other failure is thrown). */
export async function loadXlsxSupport(): Promise<XlsxSupport | null> {
  try {
    return await import("@assay/xlsx");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((error as Error).message).includes(XLSX_PACKAGE)) return null;
    throw error;
  }
}

function cellText(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** `<object>.schema.xlsx`: the sheet `schema`, laid out like the CSV form. */
export async function parseSchemaXlsx(bytes: Uint8Array, origin: SpecOrigin, load: () => Promise<XlsxSupport | null> = loadXlsxSupport): Promise<SchemaSpec> {
  const xlsx = await load();
  if (xlsx === null) {
    throw new ConfigError("SPEC_INVALID", `Reading .schema.xlsx specs needs the optional package ${XLSX_PACKAGE}, which is not installed`, {
      where: { file: origin.path },
      expected: `${XLSX_PACKAGE} installed next to @assay/core`,
      fix: `Install it (npm install -D ${XLSX_PACKAGE}, or pnpm add -D ${XLSX_PACKAGE}), or write the spec as .schema.yaml or .schema.csv.`,
    });
  }
  let sheets: Awaited<ReturnType<XlsxSupport["readWorkbook"]>>;
  try {
    sheets = await xlsx.readWorkbook(bytes);
  } catch (error) {
    throw new ConfigError("SPEC_INVALID", `The file is not a readable xlsx workbook: ${(error as Error).message}`, {
      where: { file: origin.path },
      expected: "an Excel .xlsx file",
      fix: "Save the file as an Excel workbook (.xlsx).",
    });
  }
  const sheet = sheets.find((s) => s.name.trim().toLowerCase() === "schema");
  if (!sheet) {
    const names = sheets.map((s) => s.name);
    throw new ConfigError("SPEC_INVALID", `The workbook has no sheet named "schema"${names.length ? ` (it has: ${names.join(", ")})` : ""}`, {
      where: { file: origin.path },
      expected: 'a sheet named "schema"',
      fix: 'Rename the sheet holding the columns to "schema".',
    });
  }
  const rows: TableRow[] = [];
  sheet.rows.forEach((row, index) => {
    const cells = Array.from({ length: Math.max(row.length, 5) }, (_, c) => cellText(row[c]));
    if (cells.some((c) => c.trim() !== "")) rows.push({ line: index + 1, cells });
  });
  return schemaFromTable(origin, rows[0], rows.slice(1), `xlsx sheet "schema"`);
}
