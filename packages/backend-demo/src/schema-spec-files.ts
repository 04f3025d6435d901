import { writeWorkbook } from "@assay/xlsx";
import type { TableDef } from "./tables.js";

/**
 * A table definition written as a schema spec in each of the three formats assay reads. The demo
 * uses all three so that a user sees each one working. Specs name harmonised types (`int`,
 * `string`, `decimal(12,2)`), which read the same on DuckDB and PostgreSQL.
 */

export type SchemaFormat = "yaml" | "csv" | "xlsx";

function rows(table: TableDef): { name: string; type: string; pk: boolean }[] {
  return table.columns.map((c) => ({ name: c.name, type: c.specType, pk: c.pk === true }));
}

export function schemaYaml(table: TableDef, comment: string): string {
  // One column per line reads best: `- { name: id, type: int, pk: true }`; types with
  // punctuation are quoted, since `decimal(12,2)` holds a comma.
  const scalar = (value: string): string => (/^[a-z_][a-z0-9_]*$/.test(value) ? value : JSON.stringify(value));
  const lines = comment.split("\n").map((l) => `# ${l}`.trimEnd());
  lines.push("columns:");
  for (const c of rows(table)) lines.push(`  - { name: ${scalar(c.name)}, type: ${scalar(c.type)}${c.pk ? ", pk: true" : ""} }`);
  return `${lines.join("\n")}\n`;
}

export function schemaCsv(table: TableDef): string {
  const field = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = ["column,type,pk,partition,cluster"];
  for (const c of rows(table)) lines.push(`${field(c.name)},${field(c.type)},${c.pk ? "x" : ""},,`);
  return `${lines.join("\n")}\n`;
}

/** The sheet `schema`, laid out like the CSV form, with a bold header row. */
export async function schemaXlsx(table: TableDef): Promise<Uint8Array> {
  const header = ["column", "type", "pk", "partition", "cluster"].map((value) => ({ value, bold: true }));
  return writeWorkbook([
    {
      name: "schema",
      rows: [header, ...rows(table).map((c) => [c.name, c.type, c.pk ? "x" : null, null, null])],
      widths: [24, 16, 6, 10, 10],
      stickyRows: 1,
    },
  ]);
}

export async function schemaSpecFile(table: TableDef, format: SchemaFormat, comment: string): Promise<string | Uint8Array> {
  if (format === "yaml") return schemaYaml(table, comment);
  if (format === "csv") return schemaCsv(table);
  return schemaXlsx(table);
}
