#!/usr/bin/env node
// Installs assay from this clone into another project, as `npm install -D @assay/...` will once
// the packages are on the npm registry:
//
//   pnpm run pack-into <dir> [package ...]        (default packages: @assay/cli @assay/backend-duckdb)
//   node scripts/install-into.mjs <dir> [package ...] [--skip-build]
//
// It builds the workspace, packs every package with pnpm (which replaces workspace: ranges with
// versions) into <dir>/vendor/assay/, and runs npm install there: the packages you name become
// devDependencies, and the other @assay packages they depend on are pinned to the tarballs with
// npm `overrides` (npm cannot find them on a registry yet). Run it again after pulling to update.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const skipBuild = args.includes("--skip-build");
const [target, ...wanted] = args.filter((a) => a !== "--skip-build");
if (!target || target.startsWith("-")) {
  console.error("Usage: pnpm run pack-into <project-dir> [package ...]   e.g. pnpm run pack-into ../my-project cli backend-postgres");
  process.exit(2);
}
// `pnpm run` starts scripts in the repository root; INIT_CWD is where the user typed the command.
const dir = path.resolve(process.env.INIT_CWD ?? process.cwd(), target);

/** Every publishable workspace package: name, version and the file name pnpm pack gives it. */
function workspacePackages() {
  const dirs = ["packages", "apps"].flatMap((parent) => readdirSync(path.join(repoRoot, parent)).map((d) => path.join(repoRoot, parent, d)));
  return dirs
    .filter((d) => existsSync(path.join(d, "package.json")))
    .map((d) => JSON.parse(readFileSync(path.join(d, "package.json"), "utf8")))
    .filter((pkg) => !pkg.private)
    .map((pkg) => ({ name: pkg.name, tarball: `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz` }));
}

const packages = workspacePackages();
const byName = new Map(packages.map((p) => [p.name, p]));
const requested = (wanted.length > 0 ? wanted : ["cli", "backend-duckdb"]).map((n) => (n.startsWith("@") ? n : `@assay/${n}`));
const unknown = requested.filter((n) => !byName.has(n));
if (unknown.length > 0) {
  console.error(`Unknown package ${unknown.join(", ")}: choose among ${packages.map((p) => p.name).join(", ")}.`);
  process.exit(2);
}

// A user's shell environment for npm: without the npm_* variables `pnpm run` adds.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|INIT_CWD$)/i.test(k)));
const sh = (command, argv, cwd, stdio = "inherit") => execFileSync(command, argv, { cwd, stdio, env: command === "npm" ? env : process.env });

if (!skipBuild) sh("pnpm", ["exec", "turbo", "run", "build", "--filter=./packages/*", "--filter=./apps/*", "--output-logs=errors-only"], repoRoot);

const vendor = path.join(dir, "vendor", "assay");
rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
sh("pnpm", ["-r", "--filter=./packages/*", "--filter=./apps/*", "pack", "--pack-destination", vendor], repoRoot, ["ignore", "ignore", "inherit"]);

const packageJsonPath = path.join(dir, "package.json");
const project = existsSync(packageJsonPath) ? JSON.parse(readFileSync(packageJsonPath, "utf8")) : { name: path.basename(dir), private: true };
const spec = (p) => `file:vendor/assay/${p.tarball}`;
project.overrides = { ...project.overrides };
for (const p of packages) {
  if (requested.includes(p.name)) delete project.overrides[p.name];
  else project.overrides[p.name] = spec(p);
}
writeFileSync(packageJsonPath, `${JSON.stringify(project, null, 2)}\n`);

sh("npm", ["install", "--save-dev", "--no-audit", "--no-fund", ...requested.map((n) => spec(byName.get(n)))], dir);
console.log(`\nInstalled ${requested.join(", ")} into ${dir}. Next: cd ${dir} && npx assay init`);
