import { pathToFileURL } from "node:url";
import { isAssayError, PluginError, validateManifest, validatePluginModule, type AssayError, type PluginManifest } from "@assay/ports";
import { packageLabel, type DiscoveredPlugin, type PluginCandidate } from "./candidate.js";
import { packageEntry } from "./package-json.js";
import { packagingWarnings } from "./packaging-rules.js";

/** Stage 1, before any import: the package.json `assay` manifest. */
export function checkManifest(candidate: PluginCandidate): { manifest: PluginManifest | null; error: AssayError | null } {
  try {
    return { manifest: validateManifest(candidate.packageJson, candidate.packageJsonPath), error: null };
  } catch (error) {
    return { manifest: null, error: asPluginError(error, candidate, "its manifest cannot be read") };
  }
}

/** Stage 2: imports the package's entry and checks its default export against the manifest. */
export async function loadPlugin(candidate: PluginCandidate, manifest: PluginManifest): Promise<DiscoveredPlugin> {
  const base = describe(candidate, manifest);
  const label = packageLabel(candidate);
  const entry = packageEntry(candidate.packageJson, candidate.dir);
  if (entry === null) {
    const error = new PluginError("PLUGIN_MODULE_INVALID", `Plugin ${label} has no importable entry point`, {
      where: { file: candidate.packageJsonPath, key: "exports" },
      expected: 'an exports map with an "import" or "default" condition for "."',
      fix: "Add the exports map to the plugin's package.json, or ask its author to.",
    });
    return { ...base, error };
  }
  let namespace: unknown;
  try {
    namespace = await import(pathToFileURL(entry).href);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split("\n")[0]! : String(cause);
    const error = new PluginError("PLUGIN_MODULE_INVALID", `Plugin ${label} cannot be imported from ${entry}: ${message}`, {
      fix: "Reinstall the plugin (its files or dependencies may be missing), or build it if it is a local folder.",
      cause,
    });
    return { ...base, error };
  }
  try {
    return { ...base, plugin: validatePluginModule(namespace, manifest, label) };
  } catch (error) {
    return { ...base, error: asPluginError(error, candidate, "its module is invalid") };
  }
}

export function describe(candidate: PluginCandidate, manifest: PluginManifest | null): DiscoveredPlugin {
  const version = candidate.packageJson.version;
  return {
    origin: candidate.origin,
    packageName: packageLabel(candidate),
    version: typeof version === "string" ? version : null,
    dir: candidate.dir,
    manifest,
    plugin: null,
    error: null,
    // Our own bundled plugins follow the rules (their tests say so); only others are checked.
    warnings: manifest === null || candidate.origin === "bundled" ? [] : packagingWarnings(candidate, manifest),
    ...(candidate.entry ? { entry: candidate.entry } : {}),
  };
}

function asPluginError(error: unknown, candidate: PluginCandidate, what: string): AssayError {
  if (isAssayError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PluginError("PLUGIN_MODULE_INVALID", `Plugin ${packageLabel(candidate)} cannot be used: ${what}: ${message}`, { cause: error });
}
