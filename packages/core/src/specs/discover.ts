import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { ConfigError } from "@assay/ports";
import type { AssayConfig } from "../config/schema.js";
import type { Spec } from "../model.js";
import { parseSpecFileName } from "./file-name.js";
import { parseSpec } from "./parse-spec.js";
import { failedSpec } from "./spec-base.js";
import { notRegularFile } from "../text-file.js";

/** Files under `folder`, recursively, sorted; a missing folder has none. */
async function listFiles(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name);
    // Folders are walked (not through symbolic links, which could loop); every other entry is
    // a candidate, checked to be a regular file before it is opened.
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else files.push(path);
  }
  return files;
}

/** The spec folder of a domain's stage (absolute). */
export function specFolder(config: AssayConfig, domain: string, stage: string): string {
  const settings = config.domains[domain];
  if (!settings) {
    const known = Object.keys(config.domains);
    throw new ConfigError("CONFIG_INVALID", `Domain "${domain}" is not declared in the config`, {
      where: { file: config.file, key: "domains" },
      expected: known.length ? `one of: ${known.join(", ")}` : "a domain declared under domains:",
      fix: `Declare it under domains: in ${config.file}, or use a declared one.`,
    });
  }
  const folder = settings.specs[stage];
  if (!folder) {
    throw new ConfigError("CONFIG_INVALID", `Stage "${stage}" is not declared for domain "${domain}"`, {
      where: { file: config.file, key: `domains.${domain}.stages` },
      expected: `one of: ${Object.keys(settings.stages).join(", ")}`,
      fix: `Declare the stage under domains.${domain}.stages, or use a declared one.`,
    });
  }
  return folder;
}

/**
 * Every spec file under the stage's spec folder (recursive), parsed. A file that cannot be
 * read or parsed is still returned, with `error` set, so that only its test cases become N/A;
 * a missing folder gives an empty list. Throws only for an undeclared domain or stage.
 */
export async function discoverSpecs(config: AssayConfig, domain: string, stage: string): Promise<Spec[]> {
  const folder = specFolder(config, domain, stage);
  const specs: Spec[] = [];
  for (const file of await listFiles(folder)) {
    const name = parseSpecFileName(file.slice(file.lastIndexOf(sep) + 1));
    if (!name) continue;
    const origin = { object: name.object, scenario: name.scenario, path: relative(config.root, file).split(sep).join("/") };
    const problem = await notRegularFile(file);
    if (problem !== null) {
      specs.push(failedSpec(name.type, origin, `${origin.path}: the spec cannot be read: ${problem === "missing" ? "it disappeared" : problem}; a spec must be a regular file.`));
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      specs.push(failedSpec(name.type, origin, `${origin.path}: the file cannot be read: ${(error as Error).message}.`));
      continue;
    }
    specs.push(await parseSpec(name, bytes, origin));
  }
  return specs;
}

/** A problem `assay list specs` shows: a broken spec, or two specs competing for one test case. */
export interface SpecProblem {
  path: string;
  message: string;
}

/** Broken specs and duplicates (same object, type and scenario in two files). */
export function listSpecProblems(specs: readonly Spec[]): SpecProblem[] {
  const problems: SpecProblem[] = specs.filter((s) => s.error !== null).map((s) => ({ path: s.path, message: s.error! }));
  const byIdentity = new Map<string, Spec[]>();
  for (const spec of specs) {
    const id = `${spec.object}\u0000${spec.type}\u0000${spec.scenario ?? ""}`;
    byIdentity.set(id, [...(byIdentity.get(id) ?? []), spec]);
  }
  for (const group of byIdentity.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    problems.push({
      path: first.path,
      message: `${group.length} ${first.type} specs for ${first.object}${first.scenario ? ` (scenario ${first.scenario})` : ""}: ${group.map((s) => s.path).join(", ")}; test cases using them are N/A until one remains.`,
    });
  }
  return problems;
}
