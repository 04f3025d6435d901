import { parse } from "csv-parse/sync";
import { ConfigError } from "@assay/ports";
import type { SchemaSpec } from "../model.js";
import { schemaFromTable, type TableRow } from "./schema-table.js";
import { decodeUtf8, type SpecOrigin } from "./spec-base.js";

/** `<object>.schema.csv`: header column,type,pk,partition,cluster; x marks a flag. */
export function parseSchemaCsv(bytes: Uint8Array, origin: SpecOrigin): SchemaSpec {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(decodeUtf8(bytes), { info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new ConfigError("SPEC_INVALID", `The CSV cannot be read: ${e.message}`, {
      where: { file: origin.path, line: e.lines },
      expected: "comma-separated values with a header row",
      fix: "Check quotes and separators at that line.",
    });
  }
  const rows: TableRow[] = records.map((r) => ({ line: r.info.lines, cells: r.record }));
  return schemaFromTable(origin, rows[0], rows.slice(1), "CSV schema spec");
}
