import { randomBytes } from "node:crypto";
import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoProject, type GeneratedDemo } from "@assay/backend-demo";
import type { DiffRow } from "@assay/ports";
import { runCli, type StoredRun } from "./helpers.js";
import { PSQL, psql, withDatabase } from "./postgres.js";

/**
 * The README's cross-database COMPARE, as written there: the demo warehouse on DuckDB against
 * its copy in PostgreSQL (a connection named legacy), first identical, then with one planted
 * difference of each kind. Also without a server: a spec naming an undeclared connection.
 */
const PG_URL = process.env.ASSAY_PG_URL ?? "";
const SKIPPED: string | false = !PG_URL ? "ASSAY_PG_URL is not set" : !PSQL ? "psql is not installed (it plants the differences)" : false;

const SPEC = "specs/payments/test/migration/core_account_payments.compare.legacy.sql";
const TEST_SET = "name: Payments Migration\ndomain: payments\nstage: test\ninstance: alpha\ntestcases:\n  - { object: core_account_payments, type: compare, scenario: legacy }\n";

async function addMigrationTest(dir: string, connection: string, config: string): Promise<void> {
  await appendFile(path.join(dir, "assay.config.yaml"), config);
  await mkdir(path.join(dir, path.dirname(SPEC)), { recursive: true });
  await writeFile(path.join(dir, SPEC), `-- assay: connection=${connection}\nSELECT * FROM core_account_payments\n`);
  await writeFile(path.join(dir, "testsets", "payments-migration.yaml"), TEST_SET);
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "assay-xdb-demo-"));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("a compare spec naming a connection", () => {
  it("refuses an undeclared connection before anything runs, naming the spec file, its line and the declared names", async () => {
    const demo = await generateDemoProject({ dir: path.join(work, "unknown"), scale: 1, seed: 42 });
    await addMigrationTest(demo.dir, "legacyy", "connections:\n  legacy: { use: duckdb, options: { database: elsewhere.duckdb } }\n");
    const result = await runCli(["run", "Payments Migration"], { cwd: demo.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${SPEC}:1`);
    expect(result.stderr).toContain('connection "legacyy"');
    expect(result.stderr).toContain("legacy");
    expect(result.stderr).toMatch(/\[SPEC_INVALID\]/);
  });
});

describe.skipIf(SKIPPED)(`the README's cross-database COMPARE: the demo on DuckDB against its copy in PostgreSQL${SKIPPED ? ` (skipped: ${SKIPPED})` : ""}`, () => {
  const prefix = `assay_xdb_${randomBytes(4).toString("hex")}_`;
  let demo: GeneratedDemo;
  const run = async () => {
    const result = await runCli(["run", "Payments Migration", "--json"], { cwd: demo.dir, env: { ASSAY_PG_URL: PG_URL }, timeoutMs: 60_000 });
    const { runs } = JSON.parse(result.stdout) as { runs: Array<StoredRun & { results: Array<{ summary: string; result: string; facts: Array<{ name: string; value: unknown }>; diff: { compare_diff?: DiffRow[] } }> }> };
    return { code: result.code, result: runs[0]!.results[0]! };
  };

  beforeAll(async () => {
    await generateDemoProject({ dir: path.join(work, "legacy"), scale: 1, seed: 42, engine: "postgres", url: PG_URL, database: `${prefix}{domain}_{stage}` });
    demo = await generateDemoProject({ dir: path.join(work, "demo"), scale: 1, seed: 42 });
    await addMigrationTest(demo.dir, "legacy", `connections:\n  legacy:\n    use: postgres\n    options: { url: "\${env:ASSAY_PG_URL}", database: "${prefix}{domain}_{stage}", schema: "{instance}" }\n`);
  });

  afterAll(async () => {
    const names = (await psql(PG_URL, `SELECT datname FROM pg_database WHERE datname LIKE '${prefix.replaceAll("_", "\\_")}%'`)).split("\n").filter(Boolean);
    for (const name of names) await psql(PG_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it("is OK while both hold the same rows, by checksums alone", async () => {
    const { code, result } = await run();
    expect([code, result.result, result.summary]).toEqual([0, "OK", "All 1,500 rows match."]);
    expect(result.facts).toContainEqual({ name: "Method", value: "checksums of key segments across engines" });
  });

  it("finds one missing, one extra and one mismatched row planted in PostgreSQL", async () => {
    const db = withDatabase(PG_URL, `${prefix}payments_test`);
    await psql(db, "UPDATE alpha.core_account_payments SET amount = amount + 0.01 WHERE id = 7");
    await psql(db, "DELETE FROM alpha.core_account_payments WHERE id = 8");
    await psql(db, "INSERT INTO alpha.core_account_payments SELECT id + 100000, transaction_date, amount, account_id, account_type, account_name, customer_id FROM alpha.core_account_payments WHERE id = 9");
    const { code, result } = await run();
    expect([code, result.result, result.summary]).toEqual([1, "NOK", "3 rows differ (1,500 expected, 1,500 actual): 1 missing, 1 extra, 1 mismatched (amount 1)."]);
    const fact = (name: string) => result.facts.find((f) => f.name === name)?.value;
    expect([fact("Matched rows"), fact("Missing rows"), fact("Extra rows"), fact("Mismatched rows")]).toEqual([1498, 1, 1, 1]);
    // In key order (their key hashes, 7952… 8f14… c9f0…, would give 100009, 7, 8), each side's own values:
    // PostgreSQL's (the expected query's) and DuckDB's, numbers as numbers, decimals exact, dates as dates.
    const diff = result.diff.compare_diff!;
    expect(diff.map((d) => [d.kind, d.key])).toEqual([["mismatch", { id: 7 }], ["extra", { id: 8 }], ["missing", { id: 100009 }]]);
    const [changed, extra, missing] = diff;
    expect(changed!.columns).toEqual(["amount"]);
    const cents = (v: unknown) => Math.round(Number(v) * 100);
    expect(changed!.expected!.amount).toMatch(/^-?\d+\.\d\d$/);
    expect(changed!.actual!.amount).toMatch(/^-?\d+\.\d\d$/);
    expect(cents(changed!.expected!.amount) - cents(changed!.actual!.amount)).toBe(1);
    expect(changed!.expected!.transaction_date).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(changed!.expected!.transaction_date).toBe(changed!.actual!.transaction_date);
    expect(typeof changed!.expected!.account_id).toBe("number");
    expect(extra!.actual).toMatchObject({ id: 8 });
    expect(missing!.expected).toMatchObject({ id: 100009 });
  });

  it("shows a changed date and text as each engine gives them, all differing rows in key order", async () => {
    const db = withDatabase(PG_URL, `${prefix}payments_test`);
    await psql(db, "UPDATE alpha.core_account_payments SET transaction_date = DATE '1999-12-31', account_name = account_name || ' (old)' WHERE id = 3");
    const { result } = await run();
    const diff = result.diff.compare_diff!;
    // Key 3's hash (eccb…) is the largest of the four.
    expect(diff.map((d) => d.key.id)).toEqual([3, 7, 8, 100009]);
    expect(diff[0]!.columns).toEqual(["transaction_date", "account_name"]);
    expect(diff[0]!.expected!.transaction_date).toBe("1999-12-31");
    expect(diff[0]!.actual!.transaction_date).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(diff[0]!.expected!.account_name).toBe(`${String(diff[0]!.actual!.account_name)} (old)`);
  });
});
