#!/usr/bin/env node
// Cross-database COMPARE (issue 11): the same 1M-row table in PostgreSQL (the expected side,
// e.g. a legacy warehouse) and in DuckDB (the test object), 0.01% of rows different (changed,
// missing, extra). Prints the rows moved into Node, the exact counts and the wall time of
// assay's checksum COMPARE as a ratio to the baseline measured in the same run: reading both
// sides in key order and merging them in Node (core's merge COMPARE, what a cross-database
// compare costs without checksums). Median of ASSAY_BENCH_RUNS (3) runs each.
// Needs ASSAY_PG_URL and built packages.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { medianTime } from "./lib/median-time.mjs";

const url = process.env.ASSAY_PG_URL;
if (!url) {
  console.log("skipped: ASSAY_PG_URL is not set");
  process.exit(0);
}
const require = createRequire(new URL("../packages/backend-postgres/package.json", import.meta.url));
const pg = require("pg");
const { createPostgresBackend, PostgresOptions } = await import("../packages/backend-postgres/dist/index.js");
const { createDuckDbBackend } = await import("../packages/backend-duckdb/dist/index.js");
const { checksumCompare, mergeCompare } = await import("../packages/core/dist/index.js");

const ROWS = Number(process.env.ASSAY_BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.ASSAY_BENCH_RUNS ?? 3);
// 0.01% of the rows differ: 40 changed, 30 missing from the object, 30 extra in it (per million).
const CHANGED = Math.max(2, Math.round(ROWS * 0.00004));
const MISSING = Math.max(1, Math.round(ROWS * 0.00003));
const EXTRA = MISSING;
const database = `assay_bench_xdb_${randomBytes(4).toString("hex")}`;
const dir = mkdtempSync(join(tmpdir(), "assay-bench-xdb-"));

// The same rows on both engines, from expressions both compute identically (exact decimals, binary fractions).
const columnsSql = (g, engine) => [
  `${g} AS id`,
  `(${g} * 7) % 100000 AS qty`,
  `CAST(${g} AS BIGINT) * 1000003 AS big`,
  `CAST(((${g} * 37) % 100000) AS DECIMAL(12,2)) / 100 AS amount`,
  `CAST(${g} % 1000 AS DOUBLE PRECISION) / 8 AS ratio`,
  `'name_' || CAST(${g} AS VARCHAR) AS name`,
  `'cat_' || CAST(${g} % 50 AS VARCHAR) AS category`,
  `DATE '2020-01-01' + CAST(${g} % 1500 AS INTEGER) AS ordered_on`,
  engine === "postgres" ? `TIMESTAMP '2020-01-01' + ${g} * INTERVAL '1 minute' AS created_at` : `TIMESTAMP '2020-01-01' + to_minutes(CAST(${g} AS BIGINT)) AS created_at`,
  `(${g} % 2 = 0) AS active`,
  `md5(CAST(${g} AS VARCHAR)) AS note`,
].join(", ");

const time = (fn) => medianTime(fn, RUNS);

async function drain(rows) {
  for await (const _ of rows) void _;
}

const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const dbUrl = new URL(url);
dbUrl.pathname = `/${database}`;
const db = new pg.Client({ connectionString: dbUrl.toString() });
let legacy;
let warehouse;
try {
  await db.connect();
  const started = performance.now();
  await db.query(`CREATE TABLE orders AS SELECT ${columnsSql("g", "postgres")} FROM generate_series(1, ${ROWS}) g`);
  await db.query("ALTER TABLE orders ADD PRIMARY KEY (id)");
  await db.query("VACUUM ANALYZE orders");
  const writable = await createDuckDbBackend({ database: "warehouse.duckdb", schema: "main", readOnly: false }, { projectRoot: dir, warn: () => {} });
  // Planted rows spread over the key range, disjoint: one permutation of the ids, cut into ranges.
  const spread = (from, to) => `(id * 7919) % ${ROWS} BETWEEN ${from} AND ${to - 1}`;
  for (const statement of [
    // A declared primary key, as warehouse tables have: core then counts no duplicates on this side.
    `CREATE TABLE orders AS SELECT ${columnsSql("g", "duckdb")} FROM range(1, ${ROWS + 1}) t(g)`,
    "ALTER TABLE orders ADD PRIMARY KEY (id)",
    `UPDATE orders SET amount = amount + 0.01 WHERE ${spread(0, CHANGED)}`,
    `DELETE FROM orders WHERE ${spread(CHANGED, CHANGED + MISSING)}`,
    `INSERT INTO orders SELECT ${columnsSql("g", "duckdb")} FROM range(${ROWS + 1}, ${ROWS + 1 + EXTRA}) t(g)`,
  ]) await drain(writable.query(statement, { domain: "bench", stage: "test", instance: "main" }));
  await writable.close();
  console.log(`data: ${ROWS} rows in PostgreSQL and in DuckDB (${CHANGED} changed, ${MISSING} missing, ${EXTRA} extra) in ${((performance.now() - started) / 1000).toFixed(1)} s; median of ${RUNS} runs each`);

  legacy = createPostgresBackend(PostgresOptions.parse({ url: dbUrl.toString(), schema: "public" }));
  warehouse = await createDuckDbBackend({ database: "warehouse.duckdb", schema: "main" }, { projectRoot: dir, warn: () => {} });
  const at = { domain: "bench", stage: "test", instance: "main" };
  const expectedSql = "SELECT * FROM orders";
  const columns = (await legacy.getQuerySchema(expectedSql, at)).map((c) => c.name).filter((c) => c !== "id");
  const types = Object.fromEntries((await legacy.getQuerySchema(expectedSql, at)).map((c) => [c.name, c.type]));
  const request = { at, expectedSql, object: "orders", keys: ["id"], columns, maxDiffRows: 100 };
  // What the compare test type passes: the object's declared primary key is exactly the compare key.
  const unique = JSON.stringify((await warehouse.getSchema({ ...at, name: "orders" })).primaryKeys) === JSON.stringify(["id"]);
  const expected = { backend: legacy, at, source: { kind: "query", sql: expectedSql } };
  const actual = { backend: warehouse, at, source: { kind: "object", name: "orders" } };

  const baseline = process.env.ASSAY_BENCH_NO_BASELINE ? { ms: NaN, result: { result: { expectedRows: 0, actualRows: 0, matchedRows: 0, missingRows: 0, extraRows: 0, mismatchedRows: 0, duplicateKeys: {} }, rows: 0 } } : await time(async () => {
    let rows = 0;
    const counted = async function* (stream) {
      for await (const row of stream) {
        rows++;
        yield row;
      }
    };
    const scan = (side) => counted(side.backend.scan({ at, source: side.source, orderBy: ["id"], columns: ["id", ...columns] }));
    return { result: await mergeCompare(scan(expected), scan(actual), request, { types }), rows };
  });
  // Each pass, timed, as the test case's steps report them to the notifiers.
  const steps = [];
  const step = async (name, work) => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      steps.push(`${name}: ${(performance.now() - start).toFixed(0)} ms`);
    }
  };
  const assay = await time(() => {
    steps.length = 0;
    return checksumCompare(expected, actual, request, { types, step, uniqueKeys: { actual: unique } });
  });

  const r = assay.result.result;
  const s = assay.result.stats;
  const b = baseline.result.result;
  const counts = (x) => [x.expectedRows, x.actualRows, x.matchedRows, x.missingRows, x.extraRows, x.mismatchedRows, x.duplicateKeys.expected, x.duplicateKeys.actual].join("/");
  const planted = [ROWS, ROWS - MISSING + EXTRA, ROWS - MISSING - CHANGED, MISSING, EXTRA, CHANGED, 0, 0].join("/");
  const exact = counts(r) === counts(b) && counts(r) === planted;
  const moved = s.rows + s.summaryRows;
  console.log(`counts (expected/actual/matched/missing/extra/mismatched/dup e/dup a):`);
  console.log(`  assay checksum: ${counts(r)}`);
  console.log(`  baseline merge: ${counts(b)}`);
  console.log(`  planted:        ${planted}  (${exact ? "exact" : "DIFFER"})`);
  console.log(`rows into Node: assay ${moved} (${s.summaryRows} segment checksums + ${s.rows} canonical rows, ${s.passes} passes) = ${((100 * moved) / ROWS).toFixed(2)}% of the table (target <= 5%); baseline ${baseline.result.rows}`);
  console.log(`assay checksum compare: ${assay.ms.toFixed(0)} ms (last run's passes: ${steps.join("; ")})`);
  console.log(`baseline (both sides in key order, merged in Node): ${baseline.ms.toFixed(0)} ms`);
  console.log(`assay/baseline = ${(assay.ms / baseline.ms).toFixed(3)} (target <= 0.3)`);
  if (!exact) process.exitCode = 1;
} finally {
  await legacy?.close();
  await warehouse?.close();
  await db.end().catch(() => {});
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
