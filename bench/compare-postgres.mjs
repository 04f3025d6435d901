#!/usr/bin/env node
// COMPARE on PostgreSQL: assay's in-engine compare (through @assay/backend-postgres) against
// the floor (the smallest hand-written FULL OUTER JOIN giving the same counts) and the
// EXCEPT-based comparison dbt-audit-helper's compare_relations generates, on two 1M-row tables
// (0.1% changed, some missing, some extra) in a scratch database dropped afterwards; and the
// identical case, the expected table against a copy of itself (assay's checksum pass ends there).
// The machine may be shared and noisy: each round runs floor and assay back to back (alternating
// which goes first) and the ratio printed is the median of the rounds' ratios.
// Needs ASSAY_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) and a built package.
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { dbtAuditExceptSql } from "./lib/dbt-audit-except.mjs";
import { medianTime } from "./lib/median-time.mjs";

const url = process.env.ASSAY_PG_URL;
if (!url) {
  console.log("skipped: ASSAY_PG_URL is not set");
  process.exit(0);
}
const require = createRequire(new URL("../packages/backend-postgres/package.json", import.meta.url));
const pg = require("pg");
const { default: plugin } = await import("../packages/backend-postgres/dist/index.js");
const { PostgresOptions } = await import("../packages/backend-postgres/dist/options.js");

const ROWS = Number(process.env.ASSAY_BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.ASSAY_BENCH_RUNS ?? 3);
const database = `assay_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const dbUrl = new URL(url);
dbUrl.pathname = `/${database}`;
const db = new pg.Client({ connectionString: dbUrl.toString() });

const COLUMNS = ["qty", "big", "amount", "ratio", "name", "category", "ordered_on", "created_at", "active", "note"];
const floorFor = (actual) => `SELECT count(*) FILTER (WHERE e.id IS NOT NULL) AS expected_rows, count(*) FILTER (WHERE a.id IS NOT NULL) AS actual_rows,
  count(*) FILTER (WHERE a.id IS NULL) AS missing, count(*) FILTER (WHERE e.id IS NULL) AS extra,
  count(*) FILTER (WHERE e.id IS NOT NULL AND a.id IS NOT NULL AND (${COLUMNS.map((c) => `e.${c} IS DISTINCT FROM a.${c}`).join(" OR ")})) AS mismatched,
  ${COLUMNS.map((c) => `count(*) FILTER (WHERE e.id IS NOT NULL AND a.id IS NOT NULL AND e.${c} IS DISTINCT FROM a.${c}) AS ${c}`).join(",\n  ")},
  -- The same counts as assay means duplicate keys too (as in bench/compare-duckdb.mjs): without
  -- them the join above over-counts whenever a key repeats. The expected side is a query, so its
  -- keys must be checked; actual_orders has a primary key, which assay also relies on.
  (SELECT count(*) FROM (SELECT id FROM expected_orders GROUP BY id HAVING count(*) > 1) d) AS duplicate_expected
FROM expected_orders e FULL OUTER JOIN ${actual} a ON e.id = a.id`;
const floorSql = floorFor("actual_orders");
// The join alone, trusting both keys to be unique: faster, but wrong as soon as a key repeats.
const trustingFloorSql = floorSql.replace(/,\n  -- The same counts[\s\S]*AS duplicate_expected/, "");
const exceptSql = dbtAuditExceptSql("expected_orders", "actual_orders");

const time = (fn) => medianTime(fn, RUNS);

let backend;
try {
  await db.connect();
  const started = performance.now();
  await db.query(`CREATE TABLE expected_orders AS SELECT g AS id, (g * 7) % 100000 AS qty, g::bigint * 1000003 AS big,
      round((g % 100000) / 7.0, 2)::numeric(12,2) AS amount, (g % 1000) / 3.0::double precision AS ratio, 'name_' || g AS name,
      'cat_' || (g % 50) AS category, DATE '2020-01-01' + (g % 1500) AS ordered_on, TIMESTAMP '2020-01-01' + g * interval '1 minute' AS created_at,
      (g % 2 = 0) AS active, md5(g::text) AS note
    FROM generate_series(1, ${ROWS}) g`);
  await db.query("ALTER TABLE expected_orders ADD PRIMARY KEY (id)");
  // 0.05% missing, 0.05% extra, 0.1% changed (amount on half, name on the other half).
  await db.query("CREATE TABLE actual_orders AS SELECT * FROM expected_orders WHERE id % 2000 <> 1");
  await db.query(`INSERT INTO actual_orders SELECT g, 1, 1, 1, 1, 'x', 'y', DATE '2020-01-01', TIMESTAMP '2020-01-01', true, 'z'
    FROM generate_series(${ROWS + 1}, ${ROWS + ROWS / 2000}) g`);
  await db.query("UPDATE actual_orders SET amount = amount + 0.01 WHERE id % 1000 = 7");
  await db.query("UPDATE actual_orders SET name = name || '!' WHERE id % 1000 = 8");
  await db.query("ALTER TABLE actual_orders ADD PRIMARY KEY (id)");
  await db.query("CREATE TABLE same_orders AS SELECT * FROM expected_orders");
  await db.query("ALTER TABLE same_orders ADD PRIMARY KEY (id)");
  await db.query("VACUUM ANALYZE same_orders");
  await db.query("VACUUM ANALYZE expected_orders");
  await db.query("VACUUM ANALYZE actual_orders");
  console.log(`data: 2 tables of ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(1)} s; median of ${RUNS} runs each`);

  backend = await plugin.create(PostgresOptions.parse({ url: dbUrl.toString(), schema: "public" }), { projectRoot: process.cwd(), warn: () => {} });
  const at = { domain: "bench", stage: "test", instance: "public" };
  const request = { at, expectedSql: "SELECT * FROM expected_orders", object: "actual_orders", keys: ["id"], maxDiffRows: 100 };

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  /** RUNS rounds of floor and assay back to back (alternating order); the median of the per-round ratios. */
  async function paired(actual) {
    const rounds = [];
    for (let i = 0; i < RUNS; i++) {
      const once = async (kind) => {
        const start = performance.now();
        const result = kind === "floor" ? (await db.query(floorFor(actual))).rows[0] : await backend.compare({ ...request, object: actual });
        return { ms: performance.now() - start, result };
      };
      const round = {};
      for (const kind of i % 2 === 0 ? ["floor", "assay"] : ["assay", "floor"]) round[kind] = await once(kind);
      rounds.push(round);
    }
    return { rounds, ratio: median(rounds.map((r) => r.assay.ms / r.floor.ms)), assay: median(rounds.map((r) => r.assay.ms)), floor: median(rounds.map((r) => r.floor.ms)) };
  }
  const different = await paired("actual_orders");
  const identical = await paired("same_orders");
  const trusting = await time(async () => (await db.query(trustingFloorSql)).rows[0]);
  const except = await time(async () => (await db.query(exceptSql)).rows);

  const f = different.rounds[0].floor.result;
  const r = different.rounds[0].assay.result;
  const i = identical.rounds[0].assay.result;
  const same = Number(f.missing) === r.missingRows && Number(f.extra) === r.extraRows && Number(f.mismatched) === r.mismatchedRows &&
    COLUMNS.every((c) => Number(f[c]) === r.columns.find((x) => x.name === c)?.mismatches) &&
    i.matchedRows === ROWS && i.missingRows + i.extraRows + i.mismatchedRows === 0;
  console.log(`assay:   missing ${r.missingRows}, extra ${r.extraRows}, mismatched ${r.mismatchedRows}, diff rows ${r.diff.length}${r.truncated ? "+" : ""}; identical: matched ${i.matchedRows}`);
  console.log(`floor:   missing ${f.missing}, extra ${f.extra}, mismatched ${f.mismatched}  (counts ${same ? "agree" : "DISAGREE"})`);
  const runs = (p, kind) => p.rounds.map((x) => x[kind].ms.toFixed(0)).join(", ");
  console.log(`different: assay ${runs(different, "assay")} ms; floor ${runs(different, "floor")} ms (floor with the duplicate-key check assay makes)`);
  console.log(`identical: assay ${runs(identical, "assay")} ms; floor ${runs(identical, "floor")} ms`);
  console.log(`join alone:          ${trusting.ms.toFixed(0)} ms (keys trusted unique; assay/join alone = ${(different.assay / trusting.ms).toFixed(2)})`);
  console.log(`dbt-audit EXCEPT:    ${except.ms.toFixed(0)} ms`);
  console.log(`different: assay/floor = ${different.ratio.toFixed(2)} (median of ${RUNS} rounds' ratios; target <= 1.0)`);
  console.log(`identical: assay/floor = ${identical.ratio.toFixed(2)} (median of ${RUNS} rounds' ratios; target <= 0.5)`);
  console.log(`assay/EXCEPT = ${(different.assay / except.ms).toFixed(2)} (target < 1)`);
  if (!same) process.exitCode = 1;
} finally {
  await backend?.close();
  await db.end().catch(() => {});
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
}
