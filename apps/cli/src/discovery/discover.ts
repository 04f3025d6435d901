import { PluginError, type AssayError, type PluginManifest } from "@assay/ports";
import { PluginRegistry, type AssayConfig, type ConfigSource } from "@assay/core";
import type { DiscoveredPlugin, PluginCandidate } from "./candidate.js";
import { bundledCandidates } from "./bundled-plugins.js";
import { configCandidates } from "./config-plugins.js";
import { checkManifest, describe, loadPlugin } from "./load-plugin.js";
import { projectCandidates } from "./project-plugins.js";

export interface Discovery {
  /** Every plugin that loaded, with its origin. */
  registry: PluginRegistry;
  /** Every plugin found, loaded or not, in precedence order (config, project, bundled). */
  plugins: DiscoveredPlugin[];
}

/**
 * Finds the plugins of a project in precedence order (config `plugins:`, the project's
 * package.json dependencies, the CLI's bundled plugins), validates each manifest before any
 * import, imports and validates the modules, and registers them. A package found at several
 * levels is kept at the highest one only. Two different packages with the same kind and name
 * at the same level are refused (PLUGIN_DUPLICATE).
 */
export async function discoverPlugins(config: AssayConfig, source: ConfigSource, fallbacks: PluginCandidate[] = []): Promise<Discovery> {
  const fromConfig = await configCandidates(config, source);
  const candidates = uniqueByFolder([...fromConfig.candidates, ...(await projectCandidates(config.root)), ...(await bundledCandidates())]);

  const checked = candidates.map((candidate) => ({ candidate, ...checkManifest(candidate) }));
  refuseDuplicates(checked);
  checked.push(...usableFallbacks(checked, fallbacks));

  const plugins: DiscoveredPlugin[] = [
    ...fromConfig.unresolved,
    ...(await Promise.all(
      checked.map(async ({ candidate, manifest, error }) =>
        manifest === null ? { ...describe(candidate, null), error } : loadPlugin(candidate, manifest),
      ),
    )),
  ];

  const registry = new PluginRegistry();
  for (const found of plugins) {
    if (found.plugin === null) continue;
    registry.register(found.plugin, { packageName: found.packageName, version: found.version, origin: found.origin, source: found.dir });
  }
  return { registry, plugins };
}

/**
 * Plugins found outside the three levels (the demo's backend, found next to the CLI): used
 * only when no plugin of the same kind and name was found, so they never conflict.
 */
function usableFallbacks(
  checked: Array<{ candidate: PluginCandidate; manifest: PluginManifest | null }>,
  fallbacks: PluginCandidate[],
): Array<{ candidate: PluginCandidate; manifest: PluginManifest | null; error: AssayError | null }> {
  const taken = new Set(checked.flatMap(({ candidate, manifest }) => (manifest ? [`${manifest.kind}:${manifest.name}`, candidate.dir] : [candidate.dir])));
  return fallbacks
    .map((candidate) => ({ candidate, ...checkManifest(candidate) }))
    .filter(({ candidate, manifest }) => !taken.has(candidate.dir) && (manifest === null || !taken.has(`${manifest.kind}:${manifest.name}`)));
}

/** The same folder reached twice (the project depends on a bundled plugin): keep the first. */
function uniqueByFolder(candidates: PluginCandidate[]): PluginCandidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    if (seen.has(candidate.dir)) return false;
    seen.add(candidate.dir);
    return true;
  });
}

function refuseDuplicates(checked: Array<{ candidate: PluginCandidate; manifest: PluginManifest | null }>): void {
  const byKey = new Map<string, PluginCandidate>();
  for (const { candidate, manifest } of checked) {
    if (manifest === null) continue;
    const key = `${candidate.origin}:${manifest.kind}:${manifest.name}`;
    const first = byKey.get(key);
    if (!first) {
      byKey.set(key, candidate);
      continue;
    }
    const label = (c: PluginCandidate) => `${typeof c.packageJson.name === "string" ? c.packageJson.name : "(unnamed)"} at ${c.dir}`;
    const levels = { config: "the config's plugins: list", project: "the project's package.json", bundled: "the CLI's bundled plugins" };
    throw new PluginError(
      "PLUGIN_DUPLICATE",
      `Two plugins register ${manifest.kind} "${manifest.name}" in ${levels[candidate.origin]}: ${label(first)} and ${label(candidate)}`,
      {
        where: candidate.entry?.where,
        expected: `one ${manifest.kind} plugin named "${manifest.name}" per level`,
        fix:
          candidate.origin === "config"
            ? "Remove one of the two entries from plugins:."
            : "Remove one of the two packages from the project's dependencies.",
      },
    );
  }
}
