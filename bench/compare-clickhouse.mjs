#!/usr/bin/env node
// COMPARE on ClickHouse, embedded (chDB): assay's in-engine compare (through @assay/backend-clickhouse: one FULL JOIN
// statement inside the engine, src/compare-plan.ts)
// against the floor, the smallest hand-written FULL OUTER JOIN giving the same counts (with
// join_use_nulls and the duplicate-key check assay makes), on two 1M-row tables (0.1% changed,
// some missing, some extra) in a scratch data directory removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { medianTime } from "./lib/median-time.mjs";

const require = createRequire(new URL("../packages/backend-clickhouse/package.json", import.meta.url));
let chdb;
try {
  chdb = require("chdb");
} catch {
  console.log("skipped: the optional package chdb is not installed");
  process.exit(0);
}
const { default: plugin } = await import("../packages/backend-clickhouse/dist/index.js");
const { ClickHouseOptions } = await import("../packages/backend-clickhouse/dist/options.js");

const ROWS = Number(process.env.ASSAY_BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.ASSAY_BENCH_RUNS ?? 3);
const dir = mkdtempSync(path.join(tmpdir(), "assay-bench-ch-"));
const database = "bench_test_main";
const COLUMNS = ["qty", "big", "amount", "ratio", "name", "category", "ordered_on", "created_at", "active", "note"];
const floorSql = `SELECT countIf(e.id IS NOT NULL) AS expected_rows, countIf(a.id IS NOT NULL) AS actual_rows, countIf(a.id IS NULL) AS missing, countIf(e.id IS NULL) AS extra,
  countIf(e.id IS NOT NULL AND a.id IS NOT NULL AND (${COLUMNS.map((c) => `NOT isNotDistinctFrom(e.${c}, a.${c})`).join(" OR ")})) AS mismatched,
  ${COLUMNS.map((c) => `countIf(e.id IS NOT NULL AND a.id IS NOT NULL AND NOT isNotDistinctFrom(e.${c}, a.${c})) AS ${c}`).join(", ")},
  (SELECT count() FROM (SELECT id FROM expected_orders GROUP BY id HAVING count() > 1)) AS duplicate_expected
FROM expected_orders e FULL OUTER JOIN actual_orders a ON e.id = a.id SETTINGS join_use_nulls = 1`;

const time = (fn) => medianTime(fn, RUNS);

let backend;
try {
  const started = performance.now();
  const setup = new chdb.Session(path.join(dir, "data"));
  const shape = `id UInt64, qty Int32, big Int64, amount Decimal(12, 2), ratio Float64, name String, category String, ordered_on Date, created_at DateTime, active Bool, note String`;
  for (const sql of [
    `CREATE DATABASE ${database}`,
    `CREATE TABLE ${database}.expected_orders (${shape}) ENGINE = MergeTree ORDER BY id`,
    `INSERT INTO ${database}.expected_orders SELECT number + 1 AS id, ((number + 1) * 7) % 100000, (number + 1) * 1000003, toDecimal64(((number + 1) % 100000) / 7, 2),
       ((number + 1) % 1000) / 3, concat('name_', toString(number + 1)), concat('cat_', toString((number + 1) % 50)), toDate('2020-01-01') + ((number + 1) % 1500),
       toDateTime('2020-01-01 00:00:00') + (number + 1) * 60, (number + 1) % 2 = 0, hex(MD5(toString(number + 1))) FROM numbers(${ROWS})`,
    `CREATE TABLE ${database}.actual_orders (${shape}) ENGINE = MergeTree ORDER BY id`,
    `INSERT INTO ${database}.actual_orders SELECT id, qty, big, if(id % 1000 = 7, amount + 0.01, amount), ratio, if(id % 1000 = 8, concat(name, '!'), name),
       category, ordered_on, created_at, active, note FROM ${database}.expected_orders WHERE id % 2000 <> 1`,
    `INSERT INTO ${database}.actual_orders SELECT ${ROWS} + number + 1, 1, 1, 1, 1, 'x', 'y', toDate('2020-01-01'), toDateTime('2020-01-01 00:00:00'), true, 'z' FROM numbers(${ROWS / 2000})`,
  ]) await setup.queryAsync(sql);
  console.log(`data: 2 tables of ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(1)} s (chDB ${setup.query("SELECT version()").trim()}); median of ${RUNS} runs each`);
  await setup.queryAsync(`USE ${database}`);

  const floor = await time(async () => (await setup.queryAsync(floorSql, { format: "JSONEachRow" })).json());
  setup.close();
  await chdb.drainPending();

  backend = await plugin.create(ClickHouseOptions.parse({ path: "data" }), { projectRoot: dir, warn: () => {} });
  const at = { domain: "bench", stage: "test", instance: "main" };
  const request = { at, expectedSql: "SELECT * FROM expected_orders", object: "actual_orders", keys: ["id"], maxDiffRows: 100 };
  const assay = await time(() => backend.compare(request));

  const f = floor.result;
  const r = assay.result;
  const same = Number(f.missing) === r.missingRows && Number(f.extra) === r.extraRows && Number(f.mismatched) === r.mismatchedRows &&
    COLUMNS.every((c) => Number(f[c]) === r.columns.find((x) => x.name === c)?.mismatches);
  console.log(`assay:   missing ${r.missingRows}, extra ${r.extraRows}, mismatched ${r.mismatchedRows}, diff rows ${r.diff.length}${r.truncated ? "+" : ""}`);
  console.log(`floor:   missing ${f.missing}, extra ${f.extra}, mismatched ${f.mismatched}  (counts ${same ? "agree" : "DISAGREE"})`);
  console.log(`assay compare:    ${assay.ms.toFixed(0)} ms`);
  console.log(`floor FULL JOIN:  ${floor.ms.toFixed(0)} ms (with the duplicate-key check assay makes)`);
  console.log(`assay/floor = ${(assay.ms / floor.ms).toFixed(2)}`);
  if (!same) process.exitCode = 1;
} finally {
  await backend?.close();
  await chdb.drainPending();
  rmSync(dir, { recursive: true, force: true });
}
