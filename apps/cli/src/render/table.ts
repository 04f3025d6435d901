// eslint-disable-next-line no-control-regex -- ANSI colour codes are control sequences
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}

/** Aligned columns (colour codes do not count as width); the last column is not padded. */
export function renderTable(headers: string[], rows: string[][], style: (header: string) => string = (h) => h): string {
  const widths = headers.map((header, column) => Math.max(visibleLength(header), ...rows.map((row) => visibleLength(row[column] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + " ".repeat(widths[column]! - visibleLength(cell))))
      .join("  ")
      .trimEnd();
  return [style(line(headers)), ...rows.map(line)].join("\n");
}
