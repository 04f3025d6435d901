import type { AssayError, AssayPlugin, ErrorLocation, PluginManifest } from "@assay/ports";
import type { PackageJson } from "./package-json.js";

/** Where a plugin was found, highest precedence first (code registrations never come from here). */
export type DiscoveryOrigin = "config" | "project" | "bundled";

/** A package that may be a plugin: found, but not yet validated or imported. */
export interface PluginCandidate {
  origin: DiscoveryOrigin;
  /** The package folder (symlinks resolved). */
  dir: string;
  packageJsonPath: string;
  packageJson: PackageJson;
  /** The `plugins:` entry that named it (origin config only). */
  entry?: { text: string; where: ErrorLocation };
}

/** A plugin after discovery: loaded, or with the first error that stopped it. */
export interface DiscoveredPlugin {
  origin: DiscoveryOrigin;
  /** The package name, or the `plugins:` entry when nothing could be read. */
  packageName: string;
  version: string | null;
  /** Package folder, or null when the entry could not be resolved. */
  dir: string | null;
  manifest: PluginManifest | null;
  plugin: AssayPlugin | null;
  error: AssayError | null;
  /** Packaging rules it breaks without failing to load (see packaging-rules.ts). */
  warnings: string[];
  /** The `plugins:` entry that named it (origin config only). */
  entry?: { text: string; where: ErrorLocation };
}

export function packageLabel(candidate: PluginCandidate): string {
  return typeof candidate.packageJson.name === "string" ? candidate.packageJson.name : candidate.dir;
}
