import type { PluginManifest } from "@assay/ports";
import type { PluginCandidate } from "./candidate.js";

/**
 * The packaging rules of docs/plugins.md that a plugin can break and still load (a missing
 * entry point or manifest is an error elsewhere). Each broken rule is one warning saying what
 * to change, so that the author learns it before a user's install breaks.
 */
export function packagingWarnings(candidate: PluginCandidate, manifest: PluginManifest): string[] {
  const pkg = candidate.packageJson;
  const name = typeof pkg.name === "string" ? pkg.name : null;
  const label = name ?? candidate.dir;
  const warnings: string[] = [];
  const warn = (text: string) => warnings.push(`Plugin ${label} ${text} (see the packaging rules in assay's docs/plugins.md).`);

  if (pkg.type !== "module") warn('is not marked as ESM: add "type": "module" to its package.json');

  const exportsField = pkg.exports;
  if (exportsField === undefined) {
    warn('has no exports map: add "exports" with a "." entry (types, import and default conditions) and "./package.json"');
  } else if (exportsField !== null && typeof exportsField === "object" && !Array.isArray(exportsField)) {
    const map = exportsField as Record<string, unknown>;
    const dot = map["."];
    if (dot !== null && typeof dot === "object" && !Array.isArray(dot)) {
      if (!("default" in (dot as Record<string, unknown>))) warn('has an exports "." entry without a "default" condition: resolving it with require.resolve (as other tools do) fails');
    } else if (typeof dot !== "string") {
      warn('has an exports map without a "." entry');
    }
    if (!("./package.json" in map)) warn('does not export "./package.json": add "./package.json": "./package.json" to its exports map');
  }

  if (name !== null) {
    const expected = [`assay-${manifest.kind}-<name>`, `@scope/assay-${manifest.kind}-<name>`];
    const fits = new RegExp(`^(?:@[^/]+/)?assay-${manifest.kind}-[a-z0-9][a-z0-9-]*$|^@assay/${manifest.kind}-[a-z0-9][a-z0-9-]*$`).test(name);
    if (!fits) warn(`is named "${name}", not ${expected.join(" or ")}: other users will not find it by its name`);
  }

  const keywords = Array.isArray(pkg.keywords) ? (pkg.keywords as unknown[]) : [];
  const missingKeywords = ["assay-plugin", `assay-${manifest.kind}`].filter((k) => !keywords.includes(k));
  if (missingKeywords.length > 0) warn(`lacks the keyword${missingKeywords.length === 1 ? "" : "s"} ${missingKeywords.join(", ")}`);

  const dependencies = (pkg.dependencies ?? {}) as Record<string, unknown>;
  const peers = (pkg.peerDependencies ?? {}) as Record<string, unknown>;
  if ("@assay/ports" in dependencies && !("@assay/ports" in peers)) {
    warn("lists @assay/ports in dependencies: make it a peerDependency, so that it shares the CLI's copy");
  }

  return warnings;
}
