import { accessSync, constants } from "node:fs";
import path from "node:path";

/**
 * The command a user types to run assay from `dir`, for hints such as the demo's "Try next":
 * where `dir` (or a folder above it) has assay in node_modules/.bin, the package manager that
 * started us runs it (`pnpm exec assay` inside this repository, where a bare `assay` is
 * "command not found"; `npx assay` under npm, `yarn assay` under yarn); else `assay` when an
 * `assay` outside node_modules is on the PATH (a global install); else `node <this CLI's bin>`.
 */
export function assayCommand(dir: string, env: NodeJS.ProcessEnv = process.env, bin: string | undefined = process.argv[1]): string {
  if (installedAbove(dir)) {
    const agent = env.npm_config_user_agent ?? "";
    if (agent.startsWith("pnpm/")) return "pnpm exec assay";
    if (agent.startsWith("yarn/")) return "yarn assay";
    return "npx assay";
  }
  if (onPath("assay", env.PATH ?? "")) return "assay";
  if (!bin) return "npx assay";
  const script = path.resolve(bin);
  return `node ${/\s/.test(script) ? JSON.stringify(script) : script}`;
}

/** Whether node_modules/.bin/assay exists in `dir` or a folder above it (what pnpm exec and npx run). */
function installedAbove(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    if (executable(path.join(current, "node_modules", ".bin", "assay"))) return true;
    const parent = path.dirname(current);
    if (parent === current) return false;
    current = parent;
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `name` is an executable in a PATH folder that a package manager did not add (node_modules/.bin). */
function onPath(name: string, pathList: string): boolean {
  for (const dir of pathList.split(path.delimiter)) {
    if (dir === "" || dir.split(path.sep).includes("node_modules")) continue;
    if (executable(path.join(dir, name))) return true;
  }
  return false;
}
