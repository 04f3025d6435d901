import path from "node:path";
import type { PluginCandidate } from "./candidate.js";
import { nearestPackageJson, parentUrlOf, readPackageJson, resolvePackageJson } from "./package-json.js";

/**
 * Plugins the user's project depends on: the nearest package.json above the project root, its
 * dependencies and devDependencies whose own package.json carries an `assay` field. Only
 * package.json files are read; no code runs and node_modules is never listed.
 */
export async function projectCandidates(projectRoot: string): Promise<PluginCandidate[]> {
  const projectPackageJson = await nearestPackageJson(projectRoot);
  if (projectPackageJson === null) return [];
  return dependencyCandidates(projectPackageJson, "project");
}

/** The dependencies of one package.json that are assay plugins, resolved from its folder. */
export async function dependencyCandidates(
  packageJsonPath: string,
  origin: PluginCandidate["origin"],
  fields: readonly string[] = ["dependencies", "devDependencies"],
): Promise<PluginCandidate[]> {
  const pkg = await readPackageJson(packageJsonPath);
  const names = new Set(fields.flatMap((field) => Object.keys((pkg[field] as Record<string, string> | undefined) ?? {})));
  const parent = parentUrlOf(path.dirname(packageJsonPath));
  const found = await Promise.all(
    [...names].sort().map(async (name): Promise<PluginCandidate | null> => {
      // A dependency that is not installed, or unreadable, is not a plugin we can offer.
      const file = await resolvePackageJson(name, parent).catch(() => null);
      if (file === null) return null;
      const packageJson = await readPackageJson(file).catch(() => null);
      if (packageJson === null || packageJson.assay === undefined) return null;
      return { origin, dir: path.dirname(file), packageJsonPath: file, packageJson };
    }),
  );
  return found.filter((c): c is PluginCandidate => c !== null);
}
