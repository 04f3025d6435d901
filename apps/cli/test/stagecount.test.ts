import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, scratchProjects, type StoredResult } from "./helpers.js";
import { PSQL, psql } from "./postgres.js";

/**
 * STAGECOUNT end to end: the same raw file counts the same whether DuckDB or PostgreSQL holds
 * the stage table (core's raw-file service counts it, the backend only finds the newest load),
 * and a stage table without the load timestamp is N/A naming the column and the config key.
 */
const PG_URL = process.env.ASSAY_PG_URL ?? "";
const PG_SKIPPED: string | false = !PG_URL ? "ASSAY_PG_URL is not set" : !PSQL ? "psql is not installed" : false;

// A UTF-8 byte-order mark, CRLF, a quoted CRLF, an empty line, escaped quotes, no final line break: 3 data rows.
const RAW = '\uFEFFid,note\r\n1,"two\r\nlines"\r\n2,plain\r\n\r\n3,"say ""hi"""';
const STORED_PATH = "orders/2024/orders.csv";

const files = (backend: string) => ({
  "assay.config.yaml": `backend: ${backend}\nstorage: file:.assay\ndomains:\n  shop:\n    stages: { test: [main] }\n`,
  "raw/shop/test/main/orders/2024/orders.csv": RAW,
  "raw/shop/test/main/bare/bare.csv": "id\n1\n",
  "testsets/stage.yaml": [
    "name: Stage",
    "domain: shop",
    "stage: test",
    "instance: main",
    "testcases:",
    "  - { object: stage_orders, type: stagecount }",
    "  - { object: stage_bare, type: stagecount }",
    "",
  ].join("\n"),
});

/** The little of @duckdb/node-api this test uses (the CLI package does not depend on it). */
interface DuckDbApi {
  DuckDBInstance: {
    create(path: string): Promise<{ connect(): Promise<{ run(sql: string): Promise<unknown>; closeSync(): void }>; closeSync(): void }>;
  };
}

const TABLES = [
  `CREATE TABLE stage_orders AS SELECT i AS id, TIMESTAMP '2024-01-02 10:00:00' AS m__ts, '${STORED_PATH}' AS m__source_file_path FROM (VALUES (1), (2), (3)) t(i)`,
  "CREATE TABLE stage_bare AS SELECT 1 AS id, 'bare.csv' AS m__source_file_path",
];

async function runStage(dir: string): Promise<{ code: number; results: StoredResult[] }> {
  const out = await runCli(["run", "stage", "--json"], { cwd: dir });
  const parsed = JSON.parse(out.stdout) as { runs: Array<{ results: StoredResult[] }> };
  return { code: out.code, results: parsed.runs[0]!.results };
}

function expectSameVerdicts(results: StoredResult[]): void {
  const orders = results.find((r) => r.object === "stage_orders")!;
  expect(orders).toMatchObject({ result: "OK", summary: "Stage rows (3) match the raw files (3) of the latest load (1 file)." });
  const bare = results.find((r) => r.object === "stage_bare")!;
  expect(bare).toMatchObject({ result: "N/A", status: "ABORTED" });
  expect(bare.summary).toBe(
    "stage_bare has no column m__ts (the load timestamp), which STAGECOUNT reads to find the newest load and its files. " +
      "Name the column that holds it in rawFiles.loadColumns.timestamp (or domains.shop.rawFiles.loadColumns.timestamp) in assay.config.yaml.",
  );
}

describe("STAGECOUNT through the CLI", () => {
  const project = scratchProjects();

  it("with the stage table in DuckDB", async () => {
    const dir = await project(files("{ use: duckdb }"));
    const backendDir = path.dirname(createRequire(import.meta.url).resolve("@assay/backend-duckdb/package.json"));
    const { DuckDBInstance } = (await import(pathToFileURL(createRequire(path.join(backendDir, "package.json")).resolve("@duckdb/node-api")).href)) as DuckDbApi;
    await mkdir(path.join(dir, "warehouse"));
    const instance = await DuckDBInstance.create(path.join(dir, "warehouse", "shop_test.duckdb"));
    const connection = await instance.connect();
    for (const sql of TABLES) await connection.run(sql);
    connection.closeSync();
    instance.closeSync();
    const { code, results } = await runStage(dir);
    expect(code).toBe(1);
    expectSameVerdicts(results);
  });

  it("with the stage table in PostgreSQL (needs ASSAY_PG_URL and psql)", async (ctx) => {
    if (PG_SKIPPED) {
      console.log(`STAGECOUNT with the stage table in PostgreSQL: skipped, because ${PG_SKIPPED}.`);
      ctx.skip();
    }
    const schema = `assay_stagecount_${randomBytes(4).toString("hex")}`;
    await psql(PG_URL, `CREATE SCHEMA ${schema}; SET search_path TO ${schema}; ${TABLES.join("; ")}`);
    try {
      const dir = await project(files(`{ use: postgres, options: { url: "${PG_URL}", schema: ${schema} } }`));
      const { code, results } = await runStage(dir);
      expect(code).toBe(1);
      expectSameVerdicts(results);
    } finally {
      await psql(PG_URL, `DROP SCHEMA ${schema} CASCADE`);
    }
  });
});
