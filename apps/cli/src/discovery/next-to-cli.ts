import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AssayConfig } from "@assay/core";
import type { PluginKind } from "@assay/ports";
import type { PluginCandidate } from "./candidate.js";
import { parentUrlOf, readPackageJson, resolvePackageJson } from "./package-json.js";

/** The folder of the CLI's own files: packages installed next to it resolve from here. */
export const CLI_DIR = path.dirname(fileURLToPath(import.meta.url));

/** An installed package, looked for from each folder in turn (the project first, then the CLI). */
export async function findPackage(name: string, ...from: string[]): Promise<PluginCandidate | null> {
  for (const dir of from) {
    const file = await resolvePackageJson(name, parentUrlOf(dir));
    if (file !== null) return { origin: "bundled", dir: path.dirname(file), packageJsonPath: file, packageJson: await readPackageJson(file) };
  }
  return null;
}

/** Every plugin the config selects by name (storage is chosen by URL scheme, not by name). */
function selectedPlugins(config: AssayConfig): Array<{ kind: PluginKind; name: string }> {
  return [
    { kind: "formatter", name: config.format },
    ...config.notifiers.map((n) => ({ kind: "notifier" as const, name: n.use })),
    ...config.reporters.map((r) => ({ kind: "reporter" as const, name: r.use })),
    { kind: "backend", name: config.backend.use },
    ...Object.values(config.domains).map((d) => ({ kind: "backend" as const, name: d.backend.use })),
    ...Object.values(config.connections ?? {}).map((c) => ({ kind: "backend" as const, name: c.use })),
  ];
}

/**
 * Our engines installed next to the CLI (`@assay/<kind>-<name>` for a plugin the config selects),
 * e.g. a global install of @assay/cli and @assay/backend-demo used from a folder without a
 * package.json. One package.json resolved per selected name; nothing is scanned. They are used
 * only where the project provides no plugin of that kind and name.
 */
export async function selectedPackagesNextToCli(config: AssayConfig): Promise<PluginCandidate[]> {
  const names = [...new Set(selectedPlugins(config).map(({ kind, name }) => `@assay/${kind}-${name}`))];
  const found = await Promise.all(names.map((name) => findPackage(name, CLI_DIR).catch(() => null)));
  return found.filter((c): c is PluginCandidate => c !== null);
}
