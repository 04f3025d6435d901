import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PluginKind } from "@assay/ports";

/**
 * The sources `assay plugin new` writes live as plain TypeScript under apps/cli/templates/<kind>/
 * (shipped with the CLI), one working implementation per kind and its contract test, with the
 * plugin's name written `__NAME__`. Every kind discovery knows has one.
 */
export type TemplateKind = PluginKind;
export const TEMPLATE_KINDS: readonly TemplateKind[] = PluginKind.options;

const TEMPLATES = fileURLToPath(new URL("../../templates/", import.meta.url));

/** The template's files for `name`, by path relative to the package folder (`src/index.ts`, …). */
export function templateFiles(kind: TemplateKind, name: string): Record<string, string> {
  const root = path.join(TEMPLATES, kind);
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(root, file).split(path.sep).join("/")] = readFileSync(file, "utf8").replaceAll("__NAME__", name);
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}
