import { stat } from "node:fs/promises";
import path from "node:path";
import { PluginError, type ErrorLocation } from "@assay/ports";
import type { AssayConfig, ConfigSource } from "@assay/core";
import type { DiscoveredPlugin, PluginCandidate } from "./candidate.js";
import { parentUrlOf, readPackageJson, resolvePackageJson } from "./package-json.js";

/** `./x`, `../x`, `/x`, `C:\x`: a folder; anything else is a package name. */
const PATH_ENTRY = /^(\.\.?([\\/]|$)|[\\/]|[A-Za-z]:[\\/])/;

/**
 * The config's `plugins:` entries: package names resolved from the project root, or paths
 * (relative to the config file) to a plugin folder. An entry that cannot be resolved becomes a
 * failed plugin carrying PLUGIN_UNRESOLVABLE.
 */
export async function configCandidates(
  config: AssayConfig,
  source: ConfigSource,
): Promise<{ candidates: PluginCandidate[]; unresolved: DiscoveredPlugin[] }> {
  const candidates: PluginCandidate[] = [];
  const unresolved: DiscoveredPlugin[] = [];
  for (const [index, text] of config.plugins.entries()) {
    const where = source.locate(["plugins", index]);
    const packageJsonPath = PATH_ENTRY.test(text)
      ? await folderPackageJson(path.resolve(config.root, text))
      : await resolvePackageJson(text, parentUrlOf(config.root));
    if (packageJsonPath === null) {
      unresolved.push({
        origin: "config",
        packageName: text,
        version: null,
        dir: null,
        manifest: null,
        plugin: null,
        error: unresolvable(text, where, config.root),
        warnings: [],
        entry: { text, where },
      });
      continue;
    }
    let packageJson: Awaited<ReturnType<typeof readPackageJson>>;
    try {
      packageJson = await readPackageJson(packageJsonPath);
    } catch (error) {
      // Not JSON, not a regular file (a pipe): that entry failed, the others still load.
      const message = error instanceof Error ? error.message : String(error);
      unresolved.push({
        origin: "config", packageName: text, version: null, dir: path.dirname(packageJsonPath), manifest: null, plugin: null, warnings: [],
        error: new PluginError("PLUGIN_MANIFEST_INVALID", `The package.json of plugin ${text} listed in plugins: cannot be used: ${message}`, {
          where, expected: "a package.json file holding a JSON object", fix: "Repair the plugin's package.json, or remove the entry.",
        }),
        entry: { text, where },
      });
      continue;
    }
    candidates.push({ origin: "config", dir: path.dirname(packageJsonPath), packageJsonPath, packageJson, entry: { text, where } });
  }
  return { candidates, unresolved };
}

async function folderPackageJson(target: string): Promise<string | null> {
  try {
    const info = await stat(target);
    const file = info.isDirectory() ? path.join(target, "package.json") : target;
    if (path.basename(file) !== "package.json") return null;
    await stat(file);
    return file;
  } catch {
    return null;
  }
}

function unresolvable(text: string, where: ErrorLocation, root: string): PluginError {
  const isPath = PATH_ENTRY.test(text);
  return new PluginError(
    "PLUGIN_UNRESOLVABLE",
    isPath
      ? `Plugin folder ${text} listed in plugins: does not exist or has no package.json (looked in ${path.resolve(root, text)})`
      : `Plugin package ${text} listed in plugins: is not installed in the project at ${root}`,
    {
      where,
      expected: isPath ? "a folder holding the plugin's package.json" : "a package installed in the project's node_modules",
      fix: isPath
        ? "Correct the path (it is relative to the config file), or remove the entry."
        : `Install it in the project (npm install -D ${text}, or pnpm add -D ${text}), or remove the entry.`,
    },
  );
}
