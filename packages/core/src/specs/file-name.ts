import type { SpecType } from "../model.js";

/** Extensions each spec type may be written in. */
export const SPEC_EXTENSIONS: Record<SpecType, readonly string[]> = {
  schema: ["yaml", "yml", "csv", "xlsx"],
  compare: ["sql"],
  rowcount: ["sql"],
  stagecount: ["yaml", "yml"],
};

const TYPES = Object.keys(SPEC_EXTENSIONS) as SpecType[];

export interface SpecFileName {
  object: string;
  type: SpecType;
  scenario: string | null;
  /** Lower-case extension without the dot. */
  ext: string;
}

/**
 * `<object>.<type>[.<scenario>].<ext>` → its parts; null for files that are not specs
 * (READMEs, editor lock files). The type is read case-insensitively; the object exactly.
 */
export function parseSpecFileName(fileName: string): SpecFileName | null {
  if (fileName.startsWith(".") || fileName.startsWith("~$")) return null;
  const parts = fileName.split(".");
  if (parts.length < 3) return null;
  const ext = parts[parts.length - 1]!.toLowerCase();
  const typeAt = (i: number) => TYPES.find((t) => t === parts[i]?.toLowerCase());
  const plain = typeAt(parts.length - 2);
  if (plain && parts.length >= 3) {
    return { object: parts.slice(0, -2).join("."), type: plain, scenario: null, ext };
  }
  const withScenario = parts.length >= 4 ? typeAt(parts.length - 3) : undefined;
  if (withScenario) {
    return { object: parts.slice(0, -3).join("."), type: withScenario, scenario: parts[parts.length - 2]!, ext };
  }
  return null;
}
