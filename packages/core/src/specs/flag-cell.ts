import { ConfigError } from "@assay/ports";

/** Tabular schema specs mark a flag with `x` (or `X`); an empty cell is no flag. */
export function flagCell(value: string | undefined, column: string, file: string, line: number): boolean {
  const text = (value ?? "").trim();
  if (text === "") return false;
  if (text === "x" || text === "X") return true;
  throw new ConfigError("SPEC_INVALID", `The ${column} cell holds "${text}"`, {
    where: { file, line, key: column },
    expected: "x to mark the flag, or an empty cell",
    fix: `Write x or leave the ${column} cell empty.`,
  });
}

export const SCHEMA_TABLE_HEADERS = ["column", "type", "pk", "partition", "cluster"] as const;
