#!/usr/bin/env node
// COMPARE on DuckDB: assay's in-engine compare (through @assay/backend-duckdb's built dist) against
// (b) the floor, the smallest hand-written FULL OUTER JOIN giving the same counts, and (c) the
// EXCEPT-based SQL dbt-audit-helper's compare_relations generates. Same data, same engine settings,
// one child process per measurement so each reports its own peak RSS.
//
//   node bench/compare-duckdb.mjs [--rows 1000000,10000000] [--memory 100MB | none] [--threads N] [--rounds 3] [--except no]
//
// Data: two tables with an integer key and 11 columns of mixed types (ints, decimals, doubles,
// varchar, date, timestamp, boolean), generated in SQL with range(): 0.1% of rows changed,
// 0.1% missing from the actual table, 0.1% extra in it; and a third table identical to the
// expected one. Two cases: "different" (expected against actual) and "identical" (expected
// against the copy). The machine may be shared and noisy: each round measures the floor and
// assay back to back (alternating which goes first), and the ratio printed is the median of
// the rounds' ratios.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dbtAuditExceptSql } from "./lib/dbt-audit-except.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "..", "packages", "backend-duckdb");
const duckdbUrl = pathToFileURL(createRequire(join(packageDir, "package.json")).resolve("@duckdb/node-api")).href;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const COLUMNS = ["c_int", "c_big", "c_dec", "c_dbl", "c_str", "c_cat", "c_date", "c_ts", "c_bool", "c_small", "c_dec2"];
const ROUNDS = Number(arg("rounds", "3"));

function columnsOf(i) {
  return `(${i} * 7 % 1000)::INTEGER AS c_int, (${i} * 13)::BIGINT AS c_big, ((${i} % 100000) / 100.0)::DECIMAL(12,2) AS c_dec,
    (${i} * 0.37)::DOUBLE AS c_dbl, 'name_' || (${i} % 50000) AS c_str, 'category ' || (${i} % 7) AS c_cat,
    DATE '2020-01-01' + (${i} % 2000)::INTEGER AS c_date, TIMESTAMP '2020-01-01' + to_seconds(${i} % 10000000) AS c_ts,
    (${i} % 3 = 0) AS c_bool, (${i} % 97)::SMALLINT AS c_small, ((${i} % 1000) * 1.5)::DECIMAL(18,4) AS c_dec2`;
}

async function generate(file, rows) {
  const { DuckDBInstance } = await import(duckdbUrl);
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  await c.run("CREATE SCHEMA bench");
  await c.run(`CREATE TABLE bench.expected AS SELECT i::BIGINT AS id, ${columnsOf("i")} FROM range(${rows}) t(i)`);
  // Changed: 0.1% of rows (one of three columns per changed row); missing: 0.1%; extra: 0.1%.
  await c.run(`CREATE TABLE bench.actual AS
    SELECT id, CASE WHEN id % 1000 = 1 THEN c_int + 1 ELSE c_int END AS c_int, c_big,
      CASE WHEN id % 3000 = 3 THEN c_dec + 0.01 ELSE c_dec END AS c_dec, c_dbl,
      CASE WHEN id % 3000 = 1003 THEN c_str || 'x' ELSE c_str END AS c_str, c_cat, c_date,
      CASE WHEN id % 3000 = 2003 THEN c_ts + INTERVAL 1 SECOND ELSE c_ts END AS c_ts, c_bool, c_small, c_dec2
    FROM bench.expected WHERE id % 1000 <> 2
    UNION ALL SELECT i::BIGINT AS id, ${columnsOf("i")} FROM range(${rows}, ${rows + Math.floor(rows / 1000)}) t(i)`);
  await c.run("CREATE TABLE bench.same AS SELECT * FROM bench.expected");
  c.closeSync();
  instance.closeSync();
}

const floorSql = (actual) => `SELECT
  count(*) FILTER (WHERE a.id IS NULL) AS missing,
  count(*) FILTER (WHERE e.id IS NULL) AS extra,
  count(*) FILTER (WHERE e.id IS NOT NULL AND a.id IS NOT NULL AND (${COLUMNS.map((c) => `e.${c} IS DISTINCT FROM a.${c}`).join(" OR ")})) AS mismatched,
  (SELECT count(*) FROM (SELECT id FROM bench.expected GROUP BY id HAVING count(*) > 1)) AS duplicate_expected,
  (SELECT count(*) FROM (SELECT id FROM bench.${actual} GROUP BY id HAVING count(*) > 1)) AS duplicate_actual
FROM bench.expected e FULL OUTER JOIN bench.${actual} a ON e.id = a.id`;

const EXCEPT_SQL = dbtAuditExceptSql("bench.expected", "bench.actual");

const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** One measurement in this (child) process, against the table `actual` or `same`; prints one JSON line. */
async function child(kind, file, memory, threads, actual) {
  const settings = { access_mode: "READ_ONLY" };
  if (memory !== "none") settings.memory_limit = memory;
  if (threads) settings.threads = threads;
  let answer;
  let ms;
  const rssBefore = mb();
  if (kind === "assay") {
    const { createDuckDbBackend } = await import(pathToFileURL(join(packageDir, "dist", "index.js")).href);
    const backend = await createDuckDbBackend(
      { database: file, schema: "bench", ...(memory !== "none" ? { memoryLimit: memory } : {}), ...(threads ? { threads: Number(threads) } : {}) },
      { projectRoot: dirname(file), warn: () => undefined },
    );
    const at = { domain: "bench", stage: "bench", instance: "bench" };
    const t0 = performance.now();
    const r = await backend.compare({ at, object: actual, keys: ["id"], expectedSql: "SELECT * FROM expected", maxDiffRows: 100 });
    ms = performance.now() - t0;
    answer = { matched: r.matchedRows, missing: r.missingRows, extra: r.extraRows, mismatched: r.mismatchedRows, duplicates: r.duplicateKeys.expected + r.duplicateKeys.actual, diff: r.diff.length };
    await backend.close();
  } else {
    const { DuckDBInstance } = await import(duckdbUrl);
    const instance = await DuckDBInstance.create(file, settings);
    const c = await instance.connect();
    const t0 = performance.now();
    const reader = await c.runAndReadAll(kind === "floor" ? floorSql(actual) : EXCEPT_SQL);
    ms = performance.now() - t0;
    const rows = reader.getRowObjectsJson();
    answer = kind === "floor"
      ? { missing: Number(rows[0].missing), extra: Number(rows[0].extra), mismatched: Number(rows[0].mismatched), duplicates: Number(rows[0].duplicate_expected) + Number(rows[0].duplicate_actual) }
      : Object.fromEntries(rows.map((r) => [`${r.in_a ? "a" : ""}${r.in_b ? "b" : ""}`, Number(r.count)]));
    c.closeSync();
    instance.closeSync();
  }
  console.log(JSON.stringify({ kind, ms, rssBefore, rssPeak: mb(), answer }));
}

function measure(kind, file, memory, threads, actual = "actual") {
  const args = [fileURLToPath(import.meta.url), "--child", kind, "--db", file, "--memory", memory, "--actual", actual];
  if (threads) args.push("--threads", threads);
  const run = spawnSync(process.execPath, args, { encoding: "utf8" });
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || !line.startsWith("{")) return { kind, error: ((run.stderr || run.stdout).split("\n").find((l) => /Error/.test(l) && !l.startsWith("node:")) ?? "exit " + run.status).trim() };
  return JSON.parse(line);
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** ROUNDS rounds of floor and assay back to back; the median of the per-round ratios. */
function paired(label, file, memory, threads, actual) {
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? ["floor", "assay"] : ["assay", "floor"];
    const m = Object.fromEntries(order.map((kind) => [kind, measure(kind, file, memory, threads, actual)]));
    if (m.floor.error || m.assay.error) {
      console.log(`  ${label}: FAILED: ${m.floor.error ?? m.assay.error}`);
      return null;
    }
    rounds.push(m);
  }
  const agree = rounds.every((r) => ["missing", "extra", "mismatched", "duplicates"].every((f) => r.assay.answer[f] === r.floor.answer[f]));
  console.log(`  ${label}: assay ${rounds.map((r) => fmt(r.assay.ms)).join(", ")}; floor ${rounds.map((r) => fmt(r.floor.ms)).join(", ")}; counts ${agree ? "agree" : "DISAGREE"} ${JSON.stringify(rounds[0].assay.answer)}`);
  const ratio = median(rounds.map((r) => r.assay.ms / r.floor.ms));
  const rss = Math.max(...rounds.map((r) => r.assay.rssPeak));
  console.log(`  ${label}: assay/floor ${ratio.toFixed(2)} (median of ${ROUNDS} rounds' ratios; medians ${fmt(median(rounds.map((r) => r.assay.ms)))} against ${fmt(median(rounds.map((r) => r.floor.ms)))}), assay peak RSS ${rss} MB, floor ${Math.max(...rounds.map((r) => r.floor.rssPeak))} MB`);
  if (!agree) process.exitCode = 1;
  return { ratio, rss, floorRss: Math.max(...rounds.map((r) => r.floor.rssPeak)) };
}

async function main() {
  const kind = arg("child", null);
  if (kind) return child(kind, arg("db"), arg("memory", "none"), arg("threads", null), arg("actual", "actual"));
  const sizes = arg("rows", "1000000,10000000").split(",").map(Number);
  const memory = arg("memory", "100MB");
  const threads = arg("threads", null);
  console.log(`COMPARE on DuckDB: assay vs hand-written FULL OUTER JOIN (floor) vs dbt-audit-helper EXCEPT`);
  console.log(`engine settings for all: memory_limit ${memory}, threads ${threads ?? "default"}; ${ROUNDS} rounds, one process per measurement`);
  console.log(`targets: different (0.1% changed, 0.1% missing, 0.1% extra) <= 1.0 of the floor; identical <= 0.5; peak RSS flat`);
  const rssBySize = [];
  for (const rows of sizes) {
    const dir = mkdtempSync(join(tmpdir(), "assay-bench-compare-"));
    try {
      const file = join(dir, "compare.duckdb");
      const t0 = performance.now();
      await generate(file, rows);
      console.log(`\n${rows.toLocaleString("en")} rows (generated in ${fmt(performance.now() - t0)})`);
      const different = paired("different", file, memory, threads, "actual");
      const identical = paired("identical", file, memory, threads, "same");
      const rss = Math.max(different?.rss ?? 0, identical?.rss ?? 0);
      if (rss) rssBySize.push({ rows, rss, floor: Math.max(different?.floorRss ?? 0, identical?.floorRss ?? 0) });
      if (arg("except", "yes") === "no") continue;
      let except = measure("except", file, memory, threads);
      if (except.error && memory !== "none") {
        console.log(`  EXCEPT failed at memory_limit ${memory} (${except.error}); measuring it without a limit`);
        except = { ...measure("except", file, "none", threads), unlimited: true };
      }
      if (except.error) console.log(`  EXCEPT FAILED: ${except.error}`);
      else console.log(`  dbt-audit EXCEPT (different, one run): ${fmt(except.ms)}, peak RSS ${except.rssPeak} MB${except.unlimited ? " [no memory limit]" : ""} ${JSON.stringify(except.answer)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (rssBySize.length > 1) {
    const first = rssBySize[0];
    const last = rssBySize[rssBySize.length - 1];
    console.log(`\nassay peak RSS growth from ${first.rows.toLocaleString("en")} to ${last.rows.toLocaleString("en")} rows: ${last.rss - first.rss} MB (${first.rss} -> ${last.rss} MB); ` +
      `the floor's (DuckDB's own, in the same engine settings): ${last.floor - first.floor} MB (${first.floor} -> ${last.floor} MB)`);
  }
}

await main();
