import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { resolve } from "import-meta-resolve";
import { notRegularFile } from "@assay/core";

export type PackageJson = Record<string, unknown> & { name?: unknown; version?: unknown };

export async function readPackageJson(file: string): Promise<PackageJson> {
  // Never open a pipe or a device: reading it would block discovery, and with it every command.
  const problem = await notRegularFile(file);
  if (problem !== null) throw new Error(`${file} cannot be read: ${problem === "missing" ? "it does not exist" : problem}`);
  const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${file} does not hold a JSON object`);
  return parsed as PackageJson;
}

/** A URL inside `dir` that bare specifiers resolve from, as if a module there imported them. */
export function parentUrlOf(dir: string): string {
  return pathToFileURL(path.join(dir, "noop.js")).href;
}

/**
 * The package.json of an installed package, resolved the way Node resolves an import from
 * `parentUrl`: first `<name>/package.json` (exported by well-made packages), then the package's
 * main entry and up to its package.json. Null when the package is not installed there.
 */
export async function resolvePackageJson(name: string, parentUrl: string): Promise<string | null> {
  try {
    return await realpath(fileURLToPath(resolve(`${name}/package.json`, parentUrl)));
  } catch {
    // Not exported, or not installed: try the entry point.
  }
  let entry: string;
  try {
    entry = fileURLToPath(resolve(name, parentUrl));
  } catch {
    return null;
  }
  for (let dir = path.dirname(await realpath(entry)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    try {
      if ((await readPackageJson(file)).name === name) return file;
    } catch {
      // No package.json at this level: keep walking up.
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** The nearest package.json in `dir` or a folder above it. */
export async function nearestPackageJson(dir: string): Promise<string | null> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const file = path.join(current, "package.json");
    try {
      await readPackageJson(file);
      return file;
    } catch {
      // Keep walking up.
    }
    if (path.dirname(current) === current) return null;
  }
}

/**
 * The file a package's `import` resolves to: its exports map's `.` entry through the `import`
 * or `default` condition, else `main`, else index.js.
 */
export function packageEntry(pkg: PackageJson, dir: string): string | null {
  const exportsField = pkg.exports;
  let target: unknown;
  if (exportsField === undefined) {
    target = typeof pkg.main === "string" ? pkg.main : "./index.js";
  } else if (typeof exportsField === "string" || Array.isArray(exportsField)) {
    target = exportsField;
  } else if (exportsField !== null && typeof exportsField === "object") {
    const map = exportsField as Record<string, unknown>;
    const keys = Object.keys(map);
    target = keys.some((k) => k.startsWith(".")) ? map["."] : map;
  }
  const file = pickCondition(target);
  return file === null ? null : path.resolve(dir, file);
}

function pickCondition(target: unknown): string | null {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = pickCondition(item);
      if (found !== null) return found;
    }
    return null;
  }
  if (target !== null && typeof target === "object") {
    const conditions = target as Record<string, unknown>;
    for (const condition of ["import", "node", "default"]) {
      if (condition in conditions) {
        const found = pickCondition(conditions[condition]);
        if (found !== null) return found;
      }
    }
  }
  return null;
}
