#!/usr/bin/env node
// COMPARE on MariaDB: assay's in-engine compare (through @assay/backend-mariadb: its LEFT JOIN on
// the object's key index, src/compare-plan.ts) against the floor, the smallest hand-written statement giving
// the same counts, on two 1M-row tables (0.1% changed, some missing, some extra) in a scratch
// database dropped afterwards. MariaDB has no FULL OUTER JOIN, so the floor is the LEFT JOIN of
// expected to actual UNION ALL the anti-join of actual to expected (the extra rows), with the
// duplicate-key check assay makes. Needs ASSAY_MARIADB_URL and a built package.
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { medianTime } from "./lib/median-time.mjs";

const url = process.env.ASSAY_MARIADB_URL;
if (!url) {
  console.log("skipped: ASSAY_MARIADB_URL is not set");
  process.exit(0);
}
const require = createRequire(new URL("../packages/backend-mariadb/package.json", import.meta.url));
const mysql = require("mysql2/promise");
const { default: plugin } = await import("../packages/backend-mariadb/dist/index.js");
const { MariaDbOptions } = await import("../packages/backend-mariadb/dist/options.js");

const ROWS = Number(process.env.ASSAY_BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.ASSAY_BENCH_RUNS ?? 3);
const instance = `b${randomBytes(4).toString("hex")}`;
const database = `bench_test_${instance}`;
const db = await mysql.createConnection({ uri: url.replace(/^mariadb:/, "mysql:"), supportBigNumbers: true, bigNumberStrings: true });

const COLUMNS = ["qty", "big", "amount", "ratio", "name", "category", "ordered_on", "created_at", "active", "note"];
// Text compared in the binary no-pad collation, as assay compares it ('a' <> 'A', 'a' <> 'a ').
const value = (alias, c) => (["name", "category", "note"].includes(c) ? `${alias}.${c} COLLATE utf8mb4_nopad_bin` : `${alias}.${c}`);
const differs = (c) => `NOT (${value("e", c)} <=> ${value("a", c)})`;
const floorSql = `SELECT sum(e_id IS NOT NULL) AS expected_rows, sum(a_id IS NOT NULL) AS actual_rows, sum(a_id IS NULL) AS missing, sum(e_id IS NULL) AS extra,
  sum(e_id IS NOT NULL AND a_id IS NOT NULL AND (${COLUMNS.map((c) => `m_${c}`).join(" OR ")})) AS mismatched,
  ${COLUMNS.map((c) => `sum(e_id IS NOT NULL AND a_id IS NOT NULL AND m_${c}) AS ${c}`).join(", ")},
  (SELECT count(*) FROM (SELECT id FROM expected_orders GROUP BY id HAVING count(*) > 1) d) AS duplicate_expected
FROM (
  SELECT e.id AS e_id, a.id AS a_id, ${COLUMNS.map((c) => `${differs(c)} AS m_${c}`).join(", ")} FROM expected_orders e LEFT JOIN actual_orders a ON a.id = e.id
  UNION ALL
  SELECT NULL, a.id, ${COLUMNS.map(() => "0").join(", ")} FROM actual_orders a WHERE NOT EXISTS (SELECT 1 FROM expected_orders e WHERE e.id = a.id)
) j`;

const time = (fn) => medianTime(fn, RUNS);

let backend;
try {
  await db.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  await db.query(`USE ${database}`);
  const started = performance.now();
  const shape = `id BIGINT NOT NULL PRIMARY KEY, qty INT, big BIGINT, amount DECIMAL(12,2), ratio DOUBLE, name VARCHAR(40), category VARCHAR(20),
    ordered_on DATE, created_at DATETIME, active BOOLEAN, note CHAR(32)`;
  await db.query(`CREATE TABLE expected_orders (${shape})`);
  await db.query(`INSERT INTO expected_orders SELECT seq, (seq * 7) % 100000, seq * 1000003, round((seq % 100000) / 7.0, 2), (seq % 1000) / 3.0,
      concat('name_', seq), concat('cat_', seq % 50), DATE '2020-01-01' + INTERVAL (seq % 1500) DAY, TIMESTAMP '2020-01-01 00:00:00' + INTERVAL seq MINUTE,
      seq % 2 = 0, md5(seq) FROM seq_1_to_${ROWS}`);
  // 0.05% missing, 0.05% extra, 0.1% changed (amount on half, name on the other half).
  await db.query(`CREATE TABLE actual_orders (${shape})`);
  await db.query("INSERT INTO actual_orders SELECT * FROM expected_orders WHERE id % 2000 <> 1");
  await db.query(`INSERT INTO actual_orders SELECT seq, 1, 1, 1, 1, 'x', 'y', DATE '2020-01-01', TIMESTAMP '2020-01-01 00:00:00', true, 'z' FROM seq_${ROWS + 1}_to_${ROWS + ROWS / 2000}`);
  await db.query("UPDATE actual_orders SET amount = amount + 0.01 WHERE id % 1000 = 7");
  await db.query("UPDATE actual_orders SET name = concat(name, '!') WHERE id % 1000 = 8");
  await db.query("ANALYZE TABLE expected_orders, actual_orders");
  console.log(`data: 2 tables of ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(1)} s; median of ${RUNS} runs each`);

  backend = await plugin.create(MariaDbOptions.parse({ url, database: "{domain}_{stage}_{instance}" }), { projectRoot: process.cwd(), warn: () => {} });
  const at = { domain: "bench", stage: "test", instance };
  const request = { at, expectedSql: "SELECT * FROM expected_orders", object: "actual_orders", keys: ["id"], maxDiffRows: 100 };

  const floor = await time(async () => (await db.query(floorSql))[0][0]);
  const assay = await time(() => backend.compare(request));

  const f = floor.result;
  const r = assay.result;
  const same = Number(f.missing) === r.missingRows && Number(f.extra) === r.extraRows && Number(f.mismatched) === r.mismatchedRows &&
    COLUMNS.every((c) => Number(f[c]) === r.columns.find((x) => x.name === c)?.mismatches);
  console.log(`assay:   missing ${r.missingRows}, extra ${r.extraRows}, mismatched ${r.mismatchedRows}, diff rows ${r.diff.length}${r.truncated ? "+" : ""}`);
  console.log(`floor:   missing ${f.missing}, extra ${f.extra}, mismatched ${f.mismatched}  (counts ${same ? "agree" : "DISAGREE"})`);
  console.log(`assay compare:              ${assay.ms.toFixed(0)} ms`);
  console.log(`floor LEFT JOIN + anti-join: ${floor.ms.toFixed(0)} ms (MariaDB has no FULL JOIN; with the duplicate-key check assay makes)`);
  console.log(`assay/floor = ${(assay.ms / floor.ms).toFixed(2)}`);
  if (!same) process.exitCode = 1;
} finally {
  await backend?.close();
  await db.query(`DROP DATABASE IF EXISTS ${database}`);
  await db.end();
}
