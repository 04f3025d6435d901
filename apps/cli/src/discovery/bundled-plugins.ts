import type { PluginCandidate } from "./candidate.js";
import { CLI_DIR } from "./next-to-cli.js";
import { nearestPackageJson } from "./package-json.js";
import { dependencyCandidates } from "./project-plugins.js";

/** The light plugins the CLI ships with: its own dependencies that carry an `assay` field. */
export async function bundledCandidates(): Promise<PluginCandidate[]> {
  const cliPackageJson = await nearestPackageJson(CLI_DIR);
  if (cliPackageJson === null) return [];
  return dependencyCandidates(cliPackageJson, "bundled", ["dependencies"]);
}
