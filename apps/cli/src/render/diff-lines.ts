import { cellText, columnDiffOf, compareDiffOf, diffChanges, diffKindText, keyText, type TestCaseResult } from "@assay/ports";
import type { Colors } from "./colors.js";

/** The terminal's width: the real one on a terminal, 80 otherwise (pipes, CI logs). */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : 80;
}

/** Cuts a line to `width` visible characters with "…". */
function fit(text: string, width: number): string {
  const chars = [...text.replace(/\s*\n\s*/g, " ")];
  return chars.length <= width ? chars.join("") : `${chars.slice(0, Math.max(1, width - 1)).join("")}…`;
}

const value = (v: unknown) => (v === undefined ? "-" : cellText(v));

/**
 * What a failing test case found, in a few lines for under its summary row: a COMPARE's first
 * differing rows (key, column, expected, actual), a SCHEMA's differing columns. Each line fits
 * `width`; the rest is counted.
 */
export function renderDiffLines(result: TestCaseResult, width: number, c: Colors, options: { indent?: number; maxRows?: number; maxColumns?: number } = {}): string[] {
  if (result.result !== "NOK") return [];
  const indent = " ".repeat(options.indent ?? 4);
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  const columns = columnDiffOf(result).filter((e) => e.result === "NOK");
  const maxColumns = options.maxColumns ?? 5;
  for (const e of columns.slice(0, maxColumns)) {
    const text =
      e.actual_column === null
        ? `${e.expected_column}: missing (expected ${e.expected_type ?? "any type"})`
        : e.expected_column === null
          ? `${e.actual_column}: not in the spec (${e.actual_type ?? "?"})`
          : `${e.expected_column}: expected ${e.expected_type ?? "?"}, actual ${e.actual_type ?? "?"}`;
    lines.push(fit(text, room));
  }
  if (columns.length > maxColumns) lines.push(`… ${columns.length - maxColumns} more differing columns`);
  const rows = compareDiffOf(result);
  const maxRows = options.maxRows ?? 3;
  // The key on one line and each changed column under it, so that long keys never hide values.
  for (const row of rows.slice(0, maxRows)) {
    const changes = diffChanges(row);
    lines.push(fit(`${keyText(row.key)}  (${diffKindText(row)})`, room));
    if (row.kind === "mismatch") {
      for (const ch of changes.slice(0, 4)) lines.push(fit(`  ${ch.column}: expected ${value(ch.expected)}, actual ${value(ch.actual)}`, room));
      if (changes.length > 4) lines.push(`  … ${changes.length - 4} more changed columns`);
    } else if (changes.length > 0) {
      lines.push(fit(`  ${changes.map((ch) => `${ch.column}=${value(ch.expected ?? ch.actual)}`).join(", ")}`, room));
    }
  }
  const total = typeof result.facts.find((f) => f.name === "Mismatched rows")?.value === "number" ? rowsDiffering(result) : rows.length;
  if (total > Math.min(rows.length, maxRows)) lines.push(`… ${(total - Math.min(rows.length, maxRows)).toLocaleString("en-US")} more differing rows (assay show ${result.runId} --json)`);
  return lines.map((line) => `${indent}${c.dim(fit(line, room))}`);
}

/** Differing rows as COMPARE counted them (the stored diff holds the first maxDiffRows only). */
function rowsDiffering(result: TestCaseResult): number {
  const fact = (name: string) => {
    const v = result.facts.find((f) => f.name === name)?.value;
    return typeof v === "number" ? v : 0;
  };
  return Math.max(compareDiffOf(result).length, fact("Missing rows") + fact("Extra rows") + fact("Mismatched rows"));
}
