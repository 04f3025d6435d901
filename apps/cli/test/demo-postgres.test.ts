import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_EXPECTATIONS, generateDemoProject, type GeneratedDemo } from "@assay/backend-demo";
import { runCli, type StoredResult, type StoredRun } from "./helpers.js";
import { PSQL, psql } from "./postgres.js";

/**
 * The demo warehouse loaded into PostgreSQL gives, through the real CLI, the documented result
 * for every test case of every test set: the same table demo.test.ts checks on DuckDB.
 */
const PG_URL = process.env.ASSAY_PG_URL ?? "";
const SKIPPED: string | false = !PG_URL ? "ASSAY_PG_URL is not set" : !PSQL ? "psql is not installed (it drops the test databases)" : false;


/** Databases whose names start with `prefix` (LIKE-escaped: `_` is a wildcard there). */
async function databasesLike(prefix: string): Promise<string[]> {
  const pattern = prefix.replaceAll("_", "\\_");
  const out = await psql(PG_URL, `SELECT datname FROM pg_database WHERE datname LIKE '${pattern}%' ORDER BY 1`);
  return out ? out.split("\n") : [];
}

async function dropDatabases(names: string[]): Promise<void> {
  for (const name of names) await psql(PG_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** What a test case gave, as the demo documents it; a test case that could not run is ERROR. */
const outcome = (r: StoredResult): string => (r.status === "ERROR" ? "ERROR" : r.result);
const byKey = <T extends { object: string; type: string; scenario: string | null }>(rows: T[]): T[] =>
  [...rows].sort((a, b) => `${a.object} ${a.type} ${a.scenario ?? ""}`.localeCompare(`${b.object} ${b.type} ${b.scenario ?? ""}`));

const TEST_SETS = [...new Set(DEMO_EXPECTATIONS.map((e) => e.testSet))];

describe.skipIf(SKIPPED)(`the demo warehouse in PostgreSQL${SKIPPED ? ` (skipped: ${SKIPPED})` : ""}`, () => {
  // A database name template of this run alone, so that parallel suites never share databases.
  const prefix = `assay_e2e_${randomBytes(4).toString("hex")}_`;
  let work: string;
  let demo: GeneratedDemo;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "assay-demo-pg-"));
    demo = await generateDemoProject({ dir: path.join(work, "demo"), scale: 1, seed: 42, engine: "postgres", url: PG_URL, database: `${prefix}{domain}_{stage}` });
  });

  afterAll(async () => {
    await dropDatabases(await databasesLike(prefix));
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("loads one database per domain and stage under the run's own template", async () => {
    expect(await databasesLike(prefix)).toEqual([`${prefix}payments_test`, `${prefix}payments_uat`, `${prefix}sales_test`]);
  });

  it("the documented results cover every test set of the generated project", async () => {
    const listed = await runCli(["list", "testsets", "--json"], { cwd: demo.dir, env: { ASSAY_PG_URL: PG_URL } });
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.stdout) as { testSets: Array<{ name: string }> }).testSets.map((t) => t.name);
    expect([...names].sort()).toEqual([...new Set(demo.expected.map((e) => e.testSet))].sort());
    expect([...TEST_SETS].sort()).toEqual([...names].sort());
  });

  it.each(TEST_SETS)("assay run %s --json gives every test case its documented result", async (testSet) => {
    const result = await runCli(["run", testSet, "--json"], { cwd: demo.dir, env: { ASSAY_PG_URL: PG_URL }, timeoutMs: 60_000 });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const { runs } = JSON.parse(result.stdout) as { runs: StoredRun[] };
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.run.testSet.name).toBe(testSet);
    expect(run.run.status).toBe("FINISHED");

    const expected = demo.expected.filter((e) => e.testSet === testSet);
    const got = byKey(run.results).map((r) => ({ object: r.object, type: r.type, scenario: r.scenario, result: outcome(r), why: r.summary }));
    const want = byKey(expected).map((e) => ({ object: e.object, type: e.type, scenario: e.scenario, result: e.result }));
    // The summary rides along in the diff so that a mismatch says why.
    expect(got.map(({ why: _, ...key }) => key), JSON.stringify(got, null, 1)).toEqual(want);
    expect(result.code).toBe(expected.every((e) => e.result === "OK") ? 0 : 1);
  });
});

describe.skipIf(SKIPPED)(`assay demo --backend postgres${SKIPPED ? ` (skipped: ${SKIPPED})` : ""}`, () => {
  // `assay demo` has no option for database names: it always (re)creates assay_demo_{domain}_{stage}.
  // Only this test runs it, once; databases it created that were not there before are dropped.
  const DEMO_PREFIX = "assay_demo_";
  let work: string;
  let before: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "assay-demo-pg-cmd-"));
    before = await databasesLike(DEMO_PREFIX);
  });

  afterAll(async () => {
    const created = (await databasesLike(DEMO_PREFIX)).filter((name) => !before.includes(name));
    await dropDatabases(created);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("generates the PostgreSQL demo, runs every test set and every test case gives its expected result", async () => {
    const demo = await runCli(["demo", "--backend", "postgres", "--url", PG_URL, "--dir", "demo"], { cwd: work, timeoutMs: 150_000 });
    expect(demo.stderr).toBe("");
    expect(demo.stdout).toContain(`Demo check: all ${DEMO_EXPECTATIONS.length} test cases gave the result the demo was built to give.`);
    expect(demo.code).toBe(0);

    // The folder works on its own afterwards: the postgres backend is found next to the CLI.
    const cwd = path.join(work, "demo");
    const objects = await runCli(["list", "objects", "--domain", "payments", "--stage", "test", "--instance", "alpha"], { cwd, env: { ASSAY_PG_URL: PG_URL } });
    expect(objects.stderr).toBe("");
    expect(objects.code).toBe(0);
    expect(objects.stdout).toMatch(/^payments\s+test\s+alpha\s+table\s+stage_accounts$/m);
    const runs = JSON.parse((await runCli(["list", "runs", "--json"], { cwd })).stdout) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(TEST_SETS.length);
  }, 180_000);
});
