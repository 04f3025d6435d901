import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT, run, userEnv } from "./scratch.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

it("`pnpm run pack-into <dir> cli backend-postgres` installs assay from the clone into another project", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "assay-pack-into-"));
  dirs.push(dir);
  // --skip-build: the test command has built every package already.
  const installed = await run(process.execPath, [path.join(REPO_ROOT, "scripts/install-into.mjs"), dir, "cli", "backend-postgres", "--skip-build"], {
    cwd: REPO_ROOT,
    env: { ...process.env, INIT_CWD: REPO_ROOT },
  });
  expect(installed.code, installed.stderr).toBe(0);
  const project = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  expect(Object.keys(project.devDependencies).sort()).toEqual(["@assay/backend-postgres", "@assay/cli"]);

  const plugins = await run("npx", ["--no-install", "assay", "plugins", "--json"], { cwd: dir, env: userEnv() });
  expect(plugins.code, plugins.stderr).toBe(0);
  const rows = JSON.parse(plugins.stdout) as Array<{ kind: string; name: string; origin: string; loaded: boolean }>;
  expect(rows).toContainEqual(expect.objectContaining({ kind: "backend", name: "postgres", origin: "project", loaded: true }));
  expect(rows.some((row) => row.name === "duckdb")).toBe(false);
});
