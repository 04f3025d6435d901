import { ConfigError } from "@assay/ports";
import type { SchemaSpec } from "../model.js";
import { flagCell, SCHEMA_TABLE_HEADERS } from "./flag-cell.js";
import { buildSchemaSpec, type SchemaColumnRow } from "./schema-columns.js";
import type { SpecOrigin } from "./spec-base.js";

/** One row of a tabular schema spec (CSV or the xlsx sheet) with its line or row number. */
export interface TableRow {
  line: number;
  cells: string[];
}

/**
 * CSV and xlsx schema specs share one layout: a header `column,type,pk,partition,cluster`
 * (column and type required, in any order, case-insensitive), then one row per column; rows
 * whose `column` cell is empty are skipped.
 */
export function schemaFromTable(origin: SpecOrigin, header: TableRow | undefined, rows: TableRow[], what: string): SchemaSpec {
  const expected = `a header row with column and type, optionally pk, partition and cluster`;
  if (!header) {
    throw new ConfigError("SPEC_INVALID", `The ${what} is empty`, { where: { file: origin.path }, expected, fix: "Add the header row and one row per column." });
  }
  const names = header.cells.map((c) => c.trim().toLowerCase());
  for (const [i, name] of names.entries()) {
    if (name === "" && header.cells.slice(i).every((c) => c.trim() === "")) break;
    if (!(SCHEMA_TABLE_HEADERS as readonly string[]).includes(name)) {
      throw new ConfigError("SPEC_INVALID", `The ${what} has an unknown header "${header.cells[i]}" (is the header row missing?)`, {
        where: { file: origin.path, line: header.line },
        expected,
        fix: `Start the ${what} with the header row column,type,pk,partition,cluster.`,
      });
    }
  }
  const index = (name: string) => names.indexOf(name);
  for (const required of ["column", "type"]) {
    if (index(required) < 0) {
      throw new ConfigError("SPEC_INVALID", `The ${what}'s header has no "${required}" column`, {
        where: { file: origin.path, line: header.line },
        expected,
        fix: `Add "${required}" to the header row.`,
      });
    }
  }
  const cell = (row: TableRow, name: string) => {
    const i = index(name);
    return i < 0 ? undefined : row.cells[i];
  };
  const columns: SchemaColumnRow[] = [];
  for (const row of rows) {
    const name = (cell(row, "column") ?? "").trim();
    if (name === "") continue;
    const type = (cell(row, "type") ?? "").trim();
    columns.push({
      name,
      type: type === "" ? null : type,
      pk: flagCell(cell(row, "pk"), "pk", origin.path, row.line),
      partition: flagCell(cell(row, "partition"), "partition", origin.path, row.line),
      cluster: flagCell(cell(row, "cluster"), "cluster", origin.path, row.line),
      line: row.line,
    });
  }
  return buildSchemaSpec(origin, columns, { pk: index("pk") >= 0, partition: index("partition") >= 0, cluster: index("cluster") >= 0 });
}
