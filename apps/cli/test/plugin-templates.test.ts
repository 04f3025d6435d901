import { execFile } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PluginKind } from "@assay/ports";
import { COMPARE_CASES, POLICY_VIEW_CASES, WRITE_FORMS } from "@assay/ports/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginRow } from "../src/commands/plugins.js";
import { DUCKDB_NODE_API_VERSION } from "../src/plugin-template/package-files.js";
import { runCli, writeFiles } from "./helpers.js";
import { ordersProjectFiles } from "./orders-project.js";

/**
 * `assay plugin new` for every kind discovery knows, then what an author does first: install,
 * typecheck, `npm test` (the port's contract suite), build, and use the package from a project.
 * The dependencies are this workspace's own copies, linked into the package's node_modules (the
 * registry test in tests/registry installs the same packages with plain npm from a registry).
 */
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const KINDS = PluginKind.options;
const STEP_TIMEOUT_MS = 240_000;

let root = "";
const packageDir = (kind: string) => path.join(root, `assay-${kind}-acme`);

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

/** Node in `cwd`, without the variables vitest sets for its own workers (the package's vitest is a run of its own). */
function node(args: string[], cwd: string): Promise<Exec> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|FORCE_COLOR$|NODE_OPTIONS$)/.test(key)));
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env: { ...env, NO_COLOR: "1" }, timeout: STEP_TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The workspace's copy of a dependency the generated package.json asks for. */
function workspaceCopy(name: string): string {
  if (name.startsWith("@assay/")) return path.join(REPO, "packages", name.slice("@assay/".length));
  for (const from of [REPO, path.join(REPO, "packages/backend-duckdb")]) {
    const dir = path.join(from, "node_modules", name);
    if (existsSync(dir)) return realpathSync(dir);
  }
  throw new Error(`${name} (a dependency of the generated package) is not installed in the workspace`);
}

/** Whether `version` meets an exact pin or a caret range, as npm would resolve it. */
function meets(version: string, range: string): boolean {
  if (!range.startsWith("^")) return version === range;
  const [want, have] = [range.slice(1), version].map((v) => v.split(/[.-]/).slice(0, 3).map(Number)) as [number[], number[]];
  const fixed = want[0] === 0 ? 2 : 1;
  for (let i = 0; i < 3; i++) {
    if (i < fixed && have[i] !== want[i]) return false;
    if (i >= fixed && have[i] !== want[i]) return have[i]! > want[i]!;
  }
  return true;
}

/** Links every dependency the package declares, failing when the workspace's version does not meet its range. */
async function linkDependencies(dir: string): Promise<void> {
  const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
  const wanted = { ...pkg.dependencies, ...pkg.devDependencies };
  for (const [name, range] of Object.entries(wanted)) {
    const copy = workspaceCopy(name);
    const version = (JSON.parse(readFileSync(path.join(copy, "package.json"), "utf8")) as { version: string }).version;
    expect(meets(version, range), `${name}: the template asks for ${range}, the workspace has ${version}`).toBe(true);
    await mkdir(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
    await symlink(copy, path.join(dir, "node_modules", name), "dir");
  }
}

const tsc = (dir: string, project: string) => node([path.join(dir, "node_modules/typescript/bin/tsc"), "-p", project, ...(project === "tsconfig.json" ? ["--noEmit"] : [])], dir);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "assay-plugin-templates-"));
  for (const kind of KINDS) {
    const created = await runCli(["plugin", "new", kind, "acme"], { cwd: root });
    expect(created.code, created.stderr).toBe(0);
    await linkDependencies(packageDir(kind));
  }
}, STEP_TIMEOUT_MS);

afterAll(() => rm(root, { recursive: true, force: true }));

describe("the packages `assay plugin new` writes, for every plugin kind", () => {
  it("covers every kind discovery knows", () => {
    expect([...KINDS].sort()).toEqual(["backend", "formatter", "notifier", "reporter", "storage"]);
  });

  it("runs the backend template on the same DuckDB client version as @assay/backend-duckdb", () => {
    const duckdb = JSON.parse(readFileSync(path.join(REPO, "packages/backend-duckdb/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(DUCKDB_NODE_API_VERSION).toBe(duckdb.dependencies["@duckdb/node-api"]);
  });

  it.each(KINDS)("%s: typechecks, lints, passes its contract suite and builds, as generated", async (kind) => {
    const dir = packageDir(kind);
    const typecheck = await tsc(dir, "tsconfig.json");
    expect(typecheck.code, `tsc --noEmit:\n${typecheck.stdout}${typecheck.stderr}`).toBe(0);

    // The template's code keeps this repository's own lint rules (typed linting, with the package's tsconfig).
    const lint = await node([path.join(REPO, "node_modules/eslint/bin/eslint.js"), "-c", path.join(REPO, "eslint.config.js"), "src", "test"], dir);
    expect(lint.code, `eslint:\n${lint.stdout}${lint.stderr}`).toBe(0);

    const test = await node([path.join(dir, "node_modules/vitest/vitest.mjs"), "run"], dir);
    expect(test.code, `vitest run:\n${test.stdout}\n${test.stderr}`).toBe(0);
    expect(test.stdout).toMatch(/Test Files\s+1 passed \(1\)/);
    const tests = /Tests\s+(\d+) passed(?: \| (\d+) skipped)? \((\d+)\)/.exec(test.stdout);
    expect(tests, test.stdout).not.toBeNull();
    console.log(`assay-${kind}-acme: ${tests![0].replace(/\s+/g, " ")}`);
    // Every check of the port's suite ran; the backend skips only what is written for other engines
    // (write forms, and COMPARE policies pinned with types DuckDB lacks).
    const forOthers = (engines: readonly string[] | undefined) => Boolean(engines && !engines.includes("duckdb"));
    const otherEngines =
      WRITE_FORMS.filter((form) => forOthers(form.engines)).length +
      POLICY_VIEW_CASES.filter((c) => forOthers(Object.keys(c.engines))).length +
      COMPARE_CASES.filter((c) => forOthers(c.actual.engines ?? c.expected.engines)).length;
    expect(Number(tests![2] ?? 0), test.stdout).toBe(kind === "backend" ? otherEngines : 0);
    expect(Number(tests![1]), test.stdout).toBeGreaterThan(0);

    const build = await tsc(dir, "tsconfig.build.json");
    expect(build.code, `tsc -p tsconfig.build.json:\n${build.stdout}${build.stderr}`).toBe(0);
    expect(existsSync(path.join(dir, "dist/index.js"))).toBe(true);
    expect(existsSync(path.join(dir, "dist/index.d.ts"))).toBe(true);
  }, STEP_TIMEOUT_MS);

  it.each(KINDS)("%s: once built, a project that lists it under plugins: loads it, with no packaging warning", async (kind) => {
    const dir = packageDir(kind);
    if (!existsSync(path.join(dir, "dist/index.js"))) expect((await tsc(dir, "tsconfig.build.json")).code).toBe(0);
    const project = path.join(root, `project-${kind}`);
    await writeFiles(project, { "package.json": JSON.stringify({ name: `project-${kind}`, private: true }), "assay.config.yaml": `plugins: [${JSON.stringify(dir)}]\n` });
    const result = await runCli(["plugins", "--json"], { cwd: project });
    const rows = JSON.parse(result.stdout) as PluginRow[];
    const row = rows.find((r) => r.package === `assay-${kind}-acme`);
    expect(row, result.stdout).toMatchObject({ kind, name: "acme", origin: "config", loaded: true, active: true, error: null, warnings: [] });
    // Its create() ran on defaulted options and gave an instance of its port (a storage only serves the config's own location).
    expect(row?.instance, JSON.stringify(row)).toMatch(kind === "storage" ? /^not checked: it does not serve/ : /^ok$/);
  }, STEP_TIMEOUT_MS);

  it("backend and reporter: a test set runs on the backend (SCHEMA, ROWCOUNT, COMPARE OK; a wrong count NOK) and the reporter writes its CSV", async () => {
    const dir = packageDir("backend");
    const reporter = packageDir("reporter");
    for (const built of [dir, reporter]) if (!existsSync(path.join(built, "dist/index.js"))) expect((await tsc(built, "tsconfig.build.json")).code).toBe(0);
    const project = path.join(root, "project-backend-run");
    // The warehouse a pipeline would have written: warehouse/<domain>_<stage>.duckdb, schema per instance.
    await mkdir(path.join(project, "warehouse"), { recursive: true });
    const warehouse = path.join(project, "warehouse", "shop_test.duckdb");
    const load = await node(
      [
        "--input-type=module",
        "-e",
        `import { DuckDBInstance } from "@duckdb/node-api";
const instance = await DuckDBInstance.create(${JSON.stringify(warehouse)});
const connection = await instance.connect();
await connection.run("CREATE TABLE main.orders (id INTEGER PRIMARY KEY, amount DECIMAL(10,2) NOT NULL)");
await connection.run("INSERT INTO main.orders VALUES (1, 10.50), (2, 20.00), (3, 7.25)");
connection.closeSync();
instance.closeSync();`,
      ],
      dir,
    );
    expect(load.code, load.stderr).toBe(0);
    await writeFiles(project, {
      "package.json": JSON.stringify({ name: "project-backend-run", private: true }),
      "assay.config.yaml": [
        `plugins: [${JSON.stringify(dir)}, ${JSON.stringify(reporter)}]`,
        "backend: { use: acme }",
        "domains:",
        "  shop:",
        "    stages: { test: [main] }",
        "",
      ].join("\n"),
      ...ordersProjectFiles(["  - { object: orders, type: rowcount, scenario: wrong }"]),
      "specs/shop/test/orders.rowcount.wrong.sql": "SELECT 4\n",
    });
    const result = await runCli(["run", "Orders", "--json", "--reporter", "acme=reports/orders.csv"], { cwd: project, timeoutMs: STEP_TIMEOUT_MS });
    const { runs } = JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ type: string; scenario: string | null; result: string; summary: string }> }> };
    const results = runs[0]!.results.map((r) => `${r.type.toUpperCase()}${r.scenario ? ` ${r.scenario}` : ""} ${r.result}`).sort();
    expect(results, JSON.stringify(runs[0]!.results.map((r) => r.summary))).toEqual(["COMPARE OK", "ROWCOUNT OK", "ROWCOUNT wrong NOK", "SCHEMA OK"]);
    // A NOK result: exit 1.
    expect(result.code, result.stderr).toBe(1);
    const csv = (await readFile(path.join(project, "reports/orders.csv"), "utf8")).split("\r\n");
    expect(csv[0]).toBe("run_id,test_set,domain,stage,instance,object,type,scenario,result,summary,started_at,duration_s");
    expect(csv.slice(1, -1).map((line) => line.split(",").slice(1, 9).join(" ")).sort()).toEqual([
      "Orders shop test main orders COMPARE  OK",
      "Orders shop test main orders ROWCOUNT  OK",
      "Orders shop test main orders ROWCOUNT wrong NOK",
      "Orders shop test main orders SCHEMA  OK",
    ]);
    expect(csv.at(-1)).toBe("");
  }, STEP_TIMEOUT_MS);
});
