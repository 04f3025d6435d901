import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PluginKind } from "@assay/ports";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ordersProjectFiles } from "../../../apps/cli/test/orders-project.js";
import { startLocalRegistry, type LocalRegistry } from "./local-registry.js";
import { biggestPackages, folderBytes, REPO_ROOT, run, userEnv } from "./scratch.js";

/** The bound the issue sets for a PostgreSQL user's node_modules (CLI + backend-postgres). */
const MAX_POSTGRES_INSTALL_BYTES = 25 * 1024 * 1024;
/** Every plugin kind: `assay plugin new` has a template for each. */
const KINDS = PluginKind.options;

let registry: LocalRegistry | null = null;
let skipReason = "";
const scratchDirs: string[] = [];

/** A project folder outside the repository, as a user's would be. */
async function scratchProject(name: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `assay-${name}-`));
  scratchDirs.push(dir);
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ name, version: "1.0.0", private: true }, null, 2)}\n`);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

/** `npm install -D <packages>` from the local registry, as the README tells users to. */
async function npmInstall(dir: string, packages: string[]): Promise<void> {
  const started = Date.now();
  const result = await run("npm", ["install", "--save-dev", "--registry", registry!.url, "--prefer-online", "--no-audit", "--no-fund", ...packages], {
    cwd: dir,
    env: userEnv(),
  });
  expect(result.code, `npm install ${packages.join(" ")} failed:\n${result.stderr}`).toBe(0);
  console.log(`npm install ${packages.join(" ")}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function npx(dir: string, args: string[], env: Record<string, string> = {}) {
  return run("npx", ["--no-install", "assay", ...args], { cwd: dir, env: userEnv(env), timeoutMs: 180_000 });
}

beforeAll(async () => {
  try {
    registry = await startLocalRegistry();
  } catch (error) {
    skipReason = `the local npm registry (verdaccio) could not start: ${error instanceof Error ? error.message : String(error)}`;
    console.log(`Registry install tests: skipped, because ${skipReason}`);
    return;
  }
  // The registry proxies every dependency that is not @assay/* from the upstream registry.
  const probe = await fetch(`${registry.url}zod`, { signal: AbortSignal.timeout(30_000) }).catch((error: unknown) => error as Error);
  if (probe instanceof Error || !probe.ok) {
    skipReason = `the local registry cannot reach the upstream npm registry (${probe instanceof Error ? probe.message : `HTTP ${probe.status}`})`;
    console.log(`Registry install tests: skipped, because ${skipReason}`);
    await registry.stop();
    registry = null;
    return;
  }
  const started = Date.now();
  // The release command's own publish step (pnpm replaces workspace: ranges with versions).
  const published = await run(
    "pnpm",
    ["-r", "--filter", "./packages/*", "--filter", "./apps/*", "publish", "--registry", registry.url, "--no-git-checks", "--access", "public"],
    { cwd: REPO_ROOT, env: userEnv({ npm_config_userconfig: registry.npmrc }) },
  );
  expect(published.code, `pnpm publish -r failed:\n${published.stdout}\n${published.stderr}`).toBe(0);
  console.log(`Published every workspace package to ${registry.url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 300_000);

afterAll(async () => {
  await registry?.stop();
  await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `make` once, on first use; every test that needs its result awaits the same promise. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= make());
}

const INSTALL_TIMEOUT = 300_000;

// The three projects are independent: their tests run concurrently so that the npm installs overlap.
describe.concurrent("projects installing assay from the registry with plain npm", () => {
  const project = once(async () => {
    const dir = await scratchProject("pg-project");
    await npmInstall(dir, ["@assay/cli", "@assay/backend-postgres"]);
    return dir;
  });

  it("a PostgreSQL user's project (@assay/cli, backend-postgres) installs without any DuckDB package", async (ctx) => {
    if (!registry) ctx.skip(skipReason);
    const dir = await project();
    expect(existsSync(path.join(dir, "node_modules/@assay/backend-postgres/package.json"))).toBe(true);
    expect(existsSync(path.join(dir, "node_modules/@duckdb")), "a DuckDB package was installed").toBe(false);
    expect(existsSync(path.join(dir, "node_modules/@assay/backend-duckdb"))).toBe(false);
  }, INSTALL_TIMEOUT);

  it(`a PostgreSQL user's node_modules stays within ${MAX_POSTGRES_INSTALL_BYTES / 1024 / 1024} MB`, async (ctx) => {
    if (!registry) ctx.skip(skipReason);
    const dir = await project();
    const bytes = await folderBytes(path.join(dir, "node_modules"));
    console.log(`node_modules of @assay/cli + @assay/backend-postgres: ${(bytes / 1024 / 1024).toFixed(1)} MB (${bytes} bytes)`);
    expect(bytes, `the biggest packages: ${await biggestPackages(path.join(dir, "node_modules"))}`).toBeLessThanOrEqual(MAX_POSTGRES_INSTALL_BYTES);
  }, INSTALL_TIMEOUT);

  it("a PostgreSQL user's project lists the postgres backend in `npx assay plugins`", async (ctx) => {
    if (!registry) ctx.skip(skipReason);
    const dir = await project();
    const result = await npx(dir, ["plugins", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ kind: string; name: string; package: string; origin: string; loaded: boolean }>;
    expect(rows).toContainEqual(expect.objectContaining({ kind: "backend", name: "postgres", package: "@assay/backend-postgres", origin: "project", loaded: true }));
  }, INSTALL_TIMEOUT);

  it("a PostgreSQL user's project runs a test set against the local PostgreSQL server", async (ctx) => {
    if (!registry) ctx.skip(skipReason);
    const url = process.env.ASSAY_PG_URL;
    if (!url) {
      console.log("Registry install test against PostgreSQL: skipped, because ASSAY_PG_URL is not set.");
      ctx.skip("ASSAY_PG_URL is not set");
    }
    const dir = await project();
    const schema = `assay_registry_${process.pid}_${Date.now()}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE ${schema}.orders (id integer PRIMARY KEY, amount numeric(10,2) NOT NULL)`);
      await client.query(`INSERT INTO ${schema}.orders VALUES (1, 10.50), (2, 20.00), (3, 7.25)`);
      const files: Record<string, string> = {
        "assay.config.yaml": [
          "backend:",
          "  use: postgres",
          `  options: { url: "\${env:ASSAY_PG_URL}", schema: ${schema} }`,
          "domains:",
          "  shop:",
          "    stages: { test: [main] }",
          "",
        ].join("\n"),
        ...ordersProjectFiles(),
      };
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
      const result = await npx(dir, ["run", "Orders", "--json"], { ASSAY_PG_URL: url! });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const { runs } = JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ type: string; result: string }> }> };
      expect(runs[0]!.results.map((r) => `${r.type.toUpperCase()} ${r.result}`).sort()).toEqual(["COMPARE OK", "ROWCOUNT OK", "SCHEMA OK"]);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }, INSTALL_TIMEOUT);

  it("a DuckDB user's project (@assay/cli, backend-duckdb, backend-demo): `npx assay demo`, then `npx assay init` and `npx assay run --all` work as documented", async (ctx) => {
    if (!registry) ctx.skip(skipReason);
    const dir = await scratchProject("duckdb-project");
    await npmInstall(dir, ["@assay/cli", "@assay/backend-duckdb", "@assay/backend-demo"]);
    const result = await npx(dir, ["demo"]);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/Demo check: all \d+ test cases gave the result the demo was built to give/);

    // A new user's first steps: init in the project, then run every test set.
    const init = await npx(dir, ["init"]);
    expect(init.code, `${init.stdout}\n${init.stderr}`).toBe(0);
    const all = await npx(dir, ["run", "--all"]);
    expect(all.code, `${all.stdout}\n${all.stderr}`).toBe(0);
    expect(all.stdout).toContain("4 test cases: 4 OK");
  }, INSTALL_TIMEOUT);

  it("plugin authors: packages from `npx assay plugin new` (every kind: backend, storage, formatter, notifier, reporter) install from the registry and pass their contract suites, typecheck and build on the first run", async (ctx) => {
    if (!registry) ctx.skip(skipReason);
    const dir = await project();
    // One npm workspace holds the packages, so that one install serves them all.
    const authors = await scratchProject("plugin-authors");
    for (const kind of KINDS) {
      const created = await npx(dir, ["plugin", "new", kind, "acme", "--dir", path.join(authors, `assay-${kind}-acme`)]);
      expect(created.code, created.stderr).toBe(0);
    }
    await writeFile(path.join(authors, "package.json"), JSON.stringify({ name: "plugin-authors", private: true, workspaces: ["assay-*"] }));
    const install = await run("npm", ["install", "--registry", registry!.url, "--prefer-online", "--no-audit", "--no-fund"], { cwd: authors });
    expect(install.code, install.stderr).toBe(0);
    for (const script of ["test", "typecheck", "build"]) {
      const result = await run("npm", ["run", script, "--workspaces"], { cwd: authors });
      expect(result.code, `npm run ${script}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      if (script === "test") expect(result.stdout.match(/Test Files\s+1 passed/g)).toHaveLength(KINDS.length);
    }
  }, INSTALL_TIMEOUT);
});
