import { accessSync, constants } from "node:fs";
import path from "node:path";

/**
 * The command a user types to run assay again from where they are, for hints such as the
 * demo's "Try next": `pnpm exec assay` when pnpm started us (`pnpm demo`, `pnpm exec assay`:
 * inside this repository a bare `assay` is "command not found"), `npx assay` under npm, `yarn
 * assay` under yarn, `assay` when an `assay` outside node_modules is on the PATH (a global
 * install), else `node <this CLI's bin>`.
 */
export function assayCommand(env: NodeJS.ProcessEnv = process.env, bin: string | undefined = process.argv[1]): string {
  const agent = env.npm_config_user_agent ?? "";
  if (agent.startsWith("pnpm/")) return "pnpm exec assay";
  if (agent.startsWith("npm/")) return "npx assay";
  if (agent.startsWith("yarn/")) return "yarn assay";
  if (onPath("assay", env.PATH ?? "")) return "assay";
  if (!bin) return "npx assay";
  return `node ${/\s/.test(bin) ? JSON.stringify(bin) : bin}`;
}

/** Whether `name` is an executable in a PATH folder that a package manager did not add (node_modules/.bin). */
function onPath(name: string, pathList: string): boolean {
  for (const dir of pathList.split(path.delimiter)) {
    if (dir === "" || dir.split(path.sep).includes("node_modules")) continue;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}
