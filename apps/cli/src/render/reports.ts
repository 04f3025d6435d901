import path from "node:path";
import type { WrittenReport } from "../project/reporters.js";
import type { Colors } from "./colors.js";
import { renderTable } from "./table.js";

/** The reports written, one per line, with paths relative to the working directory where shorter. */
export function renderWrittenReports(written: readonly WrittenReport[], cwd: string, c: Colors): string {
  if (written.length === 0) return "";
  const shown = (file: string) => {
    const relative = path.relative(cwd, file);
    return relative.length < file.length && !relative.startsWith("..") ? relative : file;
  };
  return `${c.bold("Reports:")}\n${renderTable(["", ""], written.map((w) => [`  ${w.reporter}`, shown(w.path)])).split("\n").slice(1).join("\n")}`;
}
