import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompareResult, isAssayError, type Backend } from "@assay/ports";
import { collect, NO_SERVER, scratchSchema, type Scratch } from "./server.js";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(isAssayError(error), `expected an AssayError, got ${String(error)}`).toBe(true);
  return (error as { code: string }).code;
}

describe.skipIf(NO_SERVER)(`postgres backend against a server${NO_SERVER ? ` (skipped: ${NO_SERVER})` : ""}`, () => {
  let scratch: Scratch;
  let backend: Backend;
  let project: string;
  let obj: (name: string) => { domain: string; stage: string; instance: string; name: string };

  beforeAll(async () => {
    scratch = await scratchSchema();
    project = await mkdtemp(join(tmpdir(), "assay-pg-project-"));
    const s = scratch.schema;
    obj = (name) => ({ ...scratch.at, name });
    await scratch.exec(`CREATE TABLE ${s}.typed (id int PRIMARY KEY, big int8, huge int8, amount numeric(14,2), ratio float8, label varchar(20),
      day date, at timestamp, at_tz timestamptz, flag boolean, doc jsonb, raw bytea, u uuid)`);
    await scratch.exec(`INSERT INTO ${s}.typed VALUES (1, 42, 9007199254740993, 12345678901.25, 0.5, 'a', '2024-02-29', '2024-01-01 10:00:00.123',
      '2024-01-01 10:00:00+02', true, '{"k": [1, 2]}', '\\x414243', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')`);
    await scratch.exec(`CREATE TABLE ${s}.events (region text, day date, n int, PRIMARY KEY (region, day)) PARTITION BY RANGE (day)`);
    await scratch.exec(`CREATE TABLE ${s}.events_2024 PARTITION OF ${s}.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`);
    await scratch.exec(`CREATE TABLE ${s}.clustered (a int, b text, c int)`);
    await scratch.exec(`CREATE INDEX clustered_bc ON ${s}.clustered (b, c)`);
    await scratch.exec(`CLUSTER ${s}.clustered USING clustered_bc`);
    await scratch.exec(`CREATE VIEW ${s}.typed_view AS SELECT id, amount FROM ${s}.typed`);
    await scratch.exec(`CREATE TABLE ${s}.victim (id int)`);
    await scratch.exec(`INSERT INTO ${s}.victim VALUES (1), (2)`);
    await scratch.exec(`CREATE TABLE ${s}.stage_accounts (id int, m__ts timestamp, m__source_file_path text)`);
    await scratch.exec(`INSERT INTO ${s}.stage_accounts VALUES (1, '2024-01-01', 'old.csv'),
      (1, '2024-01-02', 'accounts/a.csv'), (2, '2024-01-02', 'accounts/a.csv'), (3, '2024-01-02', 'accounts/b.csv')`);
    // Generous: CI runs every package's tests at once on two cores; the timeout test has its own limit.
    backend = await scratch.backend({ timeoutMs: 60_000 }, project);
  });
  afterAll(async () => {
    await scratch?.drop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it("runs every session read-only, with the backend's statement timeout and without JIT", async () => {
    const [row] = await collect(backend.query("SELECT current_setting('transaction_read_only') AS ro, current_setting('statement_timeout') AS timeout, current_setting('jit') AS jit", scratch.at));
    expect(row).toEqual({ ro: "on", timeout: "1min", jit: "off" });
  });

  it("lists tables and views (partitions left out)", async () => {
    const objects = await backend.listTestObjects(scratch.at);
    expect(objects).toContainEqual({ name: "typed", kind: "table" });
    expect(objects).toContainEqual({ name: "typed_view", kind: "view" });
    expect(objects).toContainEqual({ name: "events", kind: "table" });
    expect(objects.map((o) => o.name)).not.toContain("events_2024");
  });

  it("normalises values to CellValues without losing precision", async () => {
    const [row] = await collect(backend.query("SELECT * FROM typed", scratch.at));
    expect(row).toEqual({
      id: 1, big: 42, huge: "9007199254740993", amount: "12345678901.25", ratio: 0.5, label: "a", day: "2024-02-29",
      at: "2024-01-01T10:00:00.123", at_tz: "2024-01-01T08:00:00Z", flag: true, doc: '{"k": [1, 2]}', raw: "QUJD",
      u: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    });
  });

  it("introspects types, keys, partitioning and clustering", async () => {
    const typed = await backend.getSchema(obj("typed"));
    expect(typed.columns.map((c) => c.type)).toEqual(["int", "bigint", "bigint", "decimal(14,2)", "double", "string", "date", "timestamp", "timestamptz", "boolean", "json", "binary", "uuid"]);
    expect(typed.columns[5]!.rawType).toBe("character varying(20)");
    expect(typed.primaryKeys).toEqual(["id"]);
    const events = await backend.getSchema(obj("events"));
    expect(events.primaryKeys).toEqual(["region", "day"]);
    expect(events.partitioning).toEqual(["day"]);
    expect((await backend.getSchema(obj("clustered"))).clustering).toEqual(["b", "c"]);
    const view = await backend.getSchema(obj("typed_view"));
    expect(view).toMatchObject({ primaryKeys: [], partitioning: [], clustering: [] });
  });

  it("describes a query without running it", async () => {
    // Run, it would sleep past the time limit.
    const columns = await backend.getQuerySchema("SELECT id, amount, amount * 2 AS twice, now() AS t FROM typed WHERE pg_sleep(600) IS NULL", scratch.at);
    expect(columns.map((c) => [c.name, c.type])).toEqual([["id", "int"], ["amount", "decimal(14,2)"], ["twice", "decimal"], ["t", "timestamptz"]]);
  });

  it("refuses writes as BACKEND_READ_ONLY and changes nothing", async () => {
    const s = scratch.schema;
    const statements = [
      "DELETE FROM victim",
      "DROP TABLE victim",
      "INSERT INTO victim VALUES (3)",
      "UPDATE victim SET id = 0",
      "COPY victim TO PROGRAM 'touch /tmp/assay-should-not-exist'",
      "COPY victim TO '/tmp/assay-should-not-exist.csv'",
      "WITH d AS (DELETE FROM victim RETURNING *) SELECT * FROM d",
      "SELECT * FROM victim FOR UPDATE",
      `SELECT set_config('transaction_read_only', 'off', true)`,
    ];
    for (const sql of statements) {
      const code = await codeOf(collect(backend.query(sql, scratch.at)));
      expect([sql, code]).toEqual([sql, "BACKEND_READ_ONLY"]);
    }
    expect((await scratch.exec(`SELECT count(*)::int AS n FROM ${s}.victim`)).rows[0].n).toBe(2);
  });

  it("counts rows with bound filters", async () => {
    expect(await backend.countRows(obj("typed"), [{ column: "label", value: "a" }, { column: "day", value: "2024-02-29" }])).toBe(1);
    expect(await backend.countRows(obj("typed"), [{ column: "doc", value: null }])).toBe(0);
    expect(await codeOf(backend.countRows(obj("typed"), [{ column: "nope", value: 1 }]))).toBe("BACKEND_QUERY");
  });

  it("times out with BACKEND_TIMEOUT naming the limit", async () => {
    const limited = await scratch.backend({ timeoutMs: 2_000 }, project);
    const error: unknown = await collect(limited.query("SELECT pg_sleep(10)", scratch.at)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BACKEND_TIMEOUT" });
    expect((error as Error).message).toContain("2000 ms");
  });

  it("cancels the server's work when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = backend.countRows(obj("typed"), [], { signal: controller.signal });
    // A 10-minute sleep that ends within the test's timeout only if the server cancelled it:
    // proven by the reason, not by a tight clock.
    const sleeping = collect(backend.query("SELECT pg_sleep(600) AS slept", scratch.at, { signal: controller.signal }));
    await pending;
    setTimeout(() => controller.abort(new Error("user pressed Ctrl-C")), 200);
    const error: unknown = await sleeping.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BACKEND_TIMEOUT" });
    expect((error as Error).message).toContain("aborted (user pressed Ctrl-C)");
    // The server's statement is gone, not left sleeping (the cancel may take a moment to land).
    const sleepers = async () => Number((await scratch.exec(`SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(600) AS slept%' AND pid <> pg_backend_pid()`)).rows[0].n);
    for (let i = 0; i < 100 && (await sleepers()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await sleepers()).toBe(0);
    // The pool still serves calls afterwards.
    expect(await backend.countRows(obj("typed"))).toBe(1);
  });

  it("scans in key order with NULLs first", async () => {
    const rows = await collect(backend.scan!({ at: scratch.at, source: { kind: "query", sql: "SELECT * FROM (VALUES (2), (NULL), (1)) v(k)" }, orderBy: ["k"] }));
    expect(rows.map((r) => r.k)).toEqual([null, 1, 2]);
  });

  it("scans and compares text keys in code-point order under an ICU collation (upper before lower case, then non-ASCII)", async () => {
    const s = scratch.schema;
    await scratch.exec(`CREATE TABLE ${s}.icu (k text COLLATE "en-x-icu", v int)`);
    await scratch.exec(`INSERT INTO ${s}.icu VALUES ('b', 1), ('A', 2), ('a', 3), ('B', 4), ('é', 5), ('Z', 6)`);
    // The ICU collation itself sorts a A b B ... Z é; the port requires code points: A B Z a b é.
    const fromObject = await collect(backend.scan!({ at: scratch.at, source: { kind: "object", name: "icu" }, orderBy: ["k"] }));
    expect(fromObject.map((r) => r.k)).toEqual(["A", "B", "Z", "a", "b", "é"]);
    const fromQuery = await collect(backend.scan!({ at: scratch.at, source: { kind: "query", sql: `SELECT k, v FROM icu; -- trailing comment` }, orderBy: ["k"] }));
    expect(fromQuery.map((r) => r.k)).toEqual(["A", "B", "Z", "a", "b", "é"]);
    const result = await backend.compare!({ at: scratch.at, object: "icu", keys: ["K"], expectedSql: "SELECT k AS K, v + 1 AS V FROM icu; -- trailing comment" });
    expect(result.diff.map((d) => d.key.K)).toEqual(["A", "B", "Z", "a", "b", "é"]);
  });

  it("compares with NULL-safe keys, duplicates on both sides, tolerance and exact decimals", async () => {
    const s = scratch.schema;
    await scratch.exec(`CREATE TABLE ${s}.cmp (k text, v numeric(20,2), f float8)`);
    await scratch.exec(`INSERT INTO ${s}.cmp VALUES (NULL, 1.00, 1), ('a', 123456789012345678.01, 1), ('d', 1, 1), ('d', 1, 1), ('e', 5, 1)`);
    const expectedSql = `SELECT * FROM (VALUES (NULL, 1.00::numeric, 1.0::float8), ('a', 123456789012345678.02, 1.05), ('b', 2, 2), ('d', 1, 1), ('e', 5, 1), ('e', 5, 1)) v(k, v, f)`;
    const result = CompareResult.parse(await backend.compare!({ at: scratch.at, expectedSql, object: "cmp", keys: ["k"], tolerance: { default: 0, columns: { f: 0.1 } } }));
    expect(result).toMatchObject({ expectedRows: 6, actualRows: 5, matchedRows: 1, missingRows: 1, extraRows: 0, mismatchedRows: 1, duplicateKeys: { expected: 1, actual: 1 } });
    expect(result.columns).toEqual([{ name: "v", mismatches: 1 }, { name: "f", mismatches: 0 }]);
    const mismatch = result.diff.find((d) => d.kind === "mismatch")!;
    expect(mismatch).toMatchObject({ key: { k: "a" }, columns: ["v"], expected: { v: "123456789012345678.02" }, actual: { v: "123456789012345678.01" } });
    expect(result.diff.filter((d) => d.kind === "duplicate").map((d) => [d.key.k, d.side, d.count])).toEqual([["d", "actual", 2], ["e", "expected", 2]]);
  });

  it("compares with NULL-safe keys and tolerance when no key repeats (the branch without key counts)", async () => {
    const s = scratch.schema;
    await scratch.exec(`CREATE TABLE ${s}.cmp_unique (k text, v numeric(20,2), f float8)`);
    await scratch.exec(`INSERT INTO ${s}.cmp_unique VALUES (NULL, 1.00, 1), ('a', 123456789012345678.01, 1), ('c', 3, 3), ('e', 5, 1)`);
    const expectedSql = `SELECT * FROM (VALUES (NULL, 1.00::numeric, 1.0::float8), ('a', 123456789012345678.02, 1.05), ('b', 2, 2), ('e', 5, 1.5)) v(k, v, f)`;
    const result = CompareResult.parse(await backend.compare!({ at: scratch.at, expectedSql, object: "cmp_unique", keys: ["k"], tolerance: { default: 0, columns: { f: 0.1 } } }));
    expect(result).toMatchObject({ expectedRows: 4, actualRows: 4, matchedRows: 1, missingRows: 1, extraRows: 1, mismatchedRows: 2, duplicateKeys: { expected: 0, actual: 0 } });
    expect(result.columns).toEqual([{ name: "v", mismatches: 1 }, { name: "f", mismatches: 1 }]);
    expect(result.diff.map((d) => [d.kind, d.key.k, d.columns])).toEqual([["mismatch", "a", ["v"]], ["missing", "b", []], ["extra", "c", []], ["mismatch", "e", ["f"]]]);
  });

  it("regular keys (unique, never NULL): values within a tolerance match, NULLs meet, and an expected NULL key or a keys-only compare still counts right", async () => {
    const s = scratch.schema;
    await scratch.exec(`CREATE TABLE ${s}.gated (id int PRIMARY KEY, f float8, n numeric(10,2), t text)`);
    await scratch.exec(`INSERT INTO ${s}.gated VALUES (1, 1.0, 1.00, 'a'), (2, 2.0, 2.00, 'b'), (3, 3.0, 3.00, NULL), (4, NULL, 4.00, 'd'), (5, 5.0, 5.00, 'e'), (7, 7.0, 7.00, 'g')`);
    // 1: f within tolerance only; 2: f within, t differs; 3: NULL = NULL; 4: NULL against 4.5 on f; 5: n beyond its tolerance; 6 missing, 7 extra.
    const rows = "(1, 1.04::float8, 1.00::numeric, 'a'), (2, 1.96, 2.00, 'B'), (3, 3.0, 3.00, NULL), (4, 4.5, 4.00, 'd'), (5, 5.0, 5.02, 'e'), (6, 6.0, 6.00, 'f')";
    const compare = async (expectedSql: string, extra: object = {}) =>
      CompareResult.parse(await backend.compare!({ at: scratch.at, expectedSql, object: "gated", keys: ["id"], tolerance: { default: 0, columns: { f: 0.05, n: 0.01 } }, ...extra }));
    const result = await compare(`SELECT * FROM (VALUES ${rows}) v(id, f, n, t)`);
    expect(result).toMatchObject({ expectedRows: 6, actualRows: 6, matchedRows: 2, missingRows: 1, extraRows: 1, mismatchedRows: 3, duplicateKeys: { expected: 0, actual: 0 } });
    expect(result.columns).toEqual([{ name: "f", mismatches: 1 }, { name: "n", mismatches: 1 }, { name: "t", mismatches: 1 }]);
    expect(result.diff.map((d) => [d.kind, d.key.id, d.columns])).toEqual([["mismatch", 2, ["t"]], ["mismatch", 4, ["f"]], ["mismatch", 5, ["n"]], ["missing", 6, []], ["extra", 7, []]]);
    // An expected NULL key never meets the object's NOT NULL keys: it is missing, the rest unchanged.
    const withNull = await compare(`SELECT * FROM (VALUES ${rows}, (NULL, 0.0, 0.00, 'z')) v(id, f, n, t)`);
    expect(withNull).toMatchObject({ expectedRows: 7, actualRows: 6, matchedRows: 2, missingRows: 2, extraRows: 1, mismatchedRows: 3 });
    expect(withNull.diff.map((d) => [d.kind, d.key.id])).toEqual([["missing", null], ["mismatch", 2], ["mismatch", 4], ["mismatch", 5], ["missing", 6], ["extra", 7]]);
    const keysOnly = await compare(`SELECT * FROM (VALUES ${rows}) v(id, f, n, t)`, { columns: [] });
    expect(keysOnly).toMatchObject({ expectedRows: 6, actualRows: 6, matchedRows: 5, missingRows: 1, extraRows: 1, mismatchedRows: 0, columns: [] });
  });

  it("compares and returns diff rows when the two sides type a column or key differently", async () => {
    const s = scratch.schema;
    await scratch.exec(`CREATE TABLE ${s}.typed_sides (code varchar(10) PRIMARY KEY, n int, total numeric(18,2))`);
    await scratch.exec(`INSERT INTO ${s}.typed_sides VALUES ('a', 1, 10.00), ('b', 2, 20.00)`);
    // count(*) is int8 against an int column, sum() numeric against numeric(18,2), text key against varchar.
    const expectedSql = `SELECT code::text AS code, count(*) AS n, sum(total) + CASE WHEN code = 'b' THEN 100 ELSE 0 END AS total FROM typed_sides GROUP BY code`;
    const result = CompareResult.parse(await backend.compare!({ at: scratch.at, expectedSql, object: "typed_sides", keys: ["code"] }));
    expect(result).toMatchObject({ matchedRows: 1, mismatchedRows: 1 });
    expect(result.diff.map((d) => [d.key.code, d.columns])).toEqual([["b", ["n", "total"]]]);
    // int8 against int meets as int8 (numbers), numeric against numeric(18,2) as numeric (exact strings).
    expect(result.diff[0]).toMatchObject({ expected: { n: 1, total: "120.00" }, actual: { n: 2, total: "20.00" } });
  });

  it("samples the same keys on both sides, deterministically", async () => {
    const s = scratch.schema;
    await scratch.exec(`CREATE TABLE ${s}.big AS SELECT g AS id, g % 7 AS v FROM generate_series(1, 2000) g`);
    const request = { at: scratch.at, expectedSql: "SELECT id, CASE WHEN id % 100 = 0 THEN -1 ELSE v END AS v FROM big", object: "big", keys: ["id"], sample: { percent: 25, seed: "x" } };
    const one = await backend.compare!(request);
    const two = await backend.compare!(request);
    expect(one).toEqual(two);
    expect(one.expectedRows).toBe(one.actualRows);
    expect(one.expectedRows).toBeGreaterThan(350);
    expect(one.expectedRows).toBeLessThan(650);
    expect(one.missingRows + one.extraRows).toBe(0);
    expect(one.mismatchedRows).toBeGreaterThan(0);
    expect(one.sample).toEqual({ percent: 25, seed: "x" });
    const other = await backend.compare!({ ...request, sample: { percent: 25, seed: "y" } });
    expect(other.expectedRows).not.toBe(one.expectedRows);
  });

  it("ends a COMPARE of identical sides in the checksum pass, yet finds repeated keys, swapped values and tolerance", async () => {
    const s = scratch.schema;
    await scratch.exec(`CREATE TABLE ${s}.twins AS SELECT g AS id, g % 7 AS v, g * 0.5 AS x FROM generate_series(1, 20000) g`);
    const compare = async (expectedSql: string, extra: object = {}) => CompareResult.parse(await backend.compare!({ at: scratch.at, object: "twins", keys: ["id"], expectedSql, ...extra }));
    expect(await compare("SELECT * FROM twins")).toMatchObject({ expectedRows: 20_000, actualRows: 20_000, matchedRows: 20_000, mismatchedRows: 0, diff: [] });
    const sampled = await compare("SELECT * FROM twins", { sample: { percent: 10, seed: "s" } });
    expect(sampled.matchedRows).toBe(sampled.actualRows);
    expect(sampled.matchedRows).toBeGreaterThan(1_500);
    expect(sampled.matchedRows).toBeLessThan(2_500);
    // v swapped between two rows: the xor of row hashes must not cancel it.
    expect(await compare("SELECT id, CASE id WHEN 1 THEN 2 WHEN 2 THEN 1 ELSE v END AS v, x FROM twins")).toMatchObject({ matchedRows: 19_998, mismatchedRows: 2 });
    expect(await compare("SELECT id, v, x + 0.25 AS x FROM twins", { tolerance: { default: 0.5 } })).toMatchObject({ matchedRows: 20_000, mismatchedRows: 0 });
    const one = await compare("SELECT id, v, CASE WHEN id = 19999 THEN -1 ELSE x END AS x FROM twins");
    expect(one).toMatchObject({ matchedRows: 19_999, mismatchedRows: 1, diff: [{ key: { id: 19_999 }, columns: ["x"] }] });
    // The same repeated key on both sides: equal checksums, but the object (no primary key) repeats it.
    await scratch.exec(`CREATE TABLE ${s}.twins_dup AS SELECT * FROM ${s}.twins UNION ALL SELECT * FROM ${s}.twins WHERE id = 5`);
    const dup = CompareResult.parse(await backend.compare!({ at: scratch.at, object: "twins_dup", keys: ["id"], expectedSql: "SELECT * FROM twins_dup" }));
    expect(dup).toMatchObject({ expectedRows: 20_001, actualRows: 20_001, matchedRows: 19_999, duplicateKeys: { expected: 1, actual: 1 } });
  });

  it("reports the latest load, in one grouped scan once statistics show few loads, in two steps with an index", async () => {
    const load = await backend.latestLoad!(obj("stage_accounts"));
    const expected = { loadedAt: "2024-01-02T00:00:00", files: [{ path: "accounts/a.csv", rows: 2 }, { path: "accounts/b.csv", rows: 1 }] };
    expect(load).toEqual(expected);
    await scratch.exec(`ANALYZE ${scratch.schema}.stage_accounts`);
    expect(await backend.latestLoad!(obj("stage_accounts"))).toEqual(expected);
    await scratch.exec(`CREATE INDEX stage_accounts_ts ON ${scratch.schema}.stage_accounts (m__ts)`);
    expect(await backend.latestLoad!(obj("stage_accounts"))).toEqual(expected);
  });

  it("reports the latest load of a table the statistics show holding one load, and is not misled when they are stale", async () => {
    const s = scratch.schema;
    await scratch.exec(`CREATE TABLE ${s}.stage_once AS SELECT g AS id, TIMESTAMP '2024-05-01 09:00:00' AS m__ts, 'once/a.csv'::text AS m__source_file_path FROM generate_series(1, 5000) g`);
    await scratch.exec(`ANALYZE ${s}.stage_once`);
    const stats = await scratch.exec(`SELECT n_distinct FROM pg_stats WHERE schemaname = $1 AND tablename = 'stage_once' AND attname = 'm__ts'`, [s]);
    expect(Number(stats.rows[0]?.n_distinct)).toBe(1);
    expect(await backend.latestLoad!(obj("stage_once"))).toEqual({ loadedAt: "2024-05-01T09:00:00", files: [{ path: "once/a.csv", rows: 5000 }] });
    // One load of two files, then a newer load the statistics have not seen.
    await scratch.exec(`UPDATE ${s}.stage_once SET m__source_file_path = 'once/B.csv' WHERE id <= 10`);
    expect(await backend.latestLoad!(obj("stage_once"))).toEqual({ loadedAt: "2024-05-01T09:00:00", files: [{ path: "once/B.csv", rows: 10 }, { path: "once/a.csv", rows: 4990 }] });
    await scratch.exec(`INSERT INTO ${s}.stage_once VALUES (5001, TIMESTAMP '2024-05-02 09:00:00', 'once/c.csv'), (5002, NULL, 'once/z.csv')`);
    expect(await backend.latestLoad!(obj("stage_once"))).toEqual({ loadedAt: "2024-05-02T09:00:00", files: [{ path: "once/c.csv", rows: 1 }] });
  });

  it("takes the newest load from the table's last pages as a guess, and finds it anywhere when the guess is wrong", async () => {
    const s = scratch.schema;
    const load = () => backend.latestLoad!(obj("stage_tail"));
    // The newest load first, 50,000 older rows after it: the last pages hold an older load.
    await scratch.exec(`CREATE TABLE ${s}.stage_tail (id int, m__ts timestamp, m__source_file_path text)`);
    await scratch.exec(`INSERT INTO ${s}.stage_tail VALUES (0, '2024-06-02 08:00:00', 'tail/new.csv')`);
    await scratch.exec(`INSERT INTO ${s}.stage_tail SELECT g, '2024-06-01 08:00:00', 'tail/old.csv' FROM generate_series(1, 50000) g`);
    expect(await load()).toEqual({ loadedAt: "2024-06-02T08:00:00", files: [{ path: "tail/new.csv", rows: 1 }] });
    // A newer load of two files at the end: the guess holds, and the files are counted apart.
    await scratch.exec(`INSERT INTO ${s}.stage_tail VALUES (1, '2024-06-03 08:00:00', 'tail/b.csv'), (2, '2024-06-03 08:00:00', 'tail/b.csv'), (3, '2024-06-03 08:00:00', 'tail/B.csv')`);
    expect(await load()).toEqual({ loadedAt: "2024-06-03T08:00:00", files: [{ path: "tail/B.csv", rows: 1 }, { path: "tail/b.csv", rows: 2 }] });
    // A newer load naming no file, then a row without a time after it.
    await scratch.exec(`INSERT INTO ${s}.stage_tail VALUES (4, '2024-06-04 08:00:00', NULL), (5, '2024-06-04 08:00:00', NULL), (6, NULL, 'tail/z.csv')`);
    expect(await load()).toEqual({ loadedAt: "2024-06-04T08:00:00", files: [{ path: "", rows: 2 }] });
    // One more row of that load, far from the end: found by the check's count.
    await scratch.exec(`UPDATE ${s}.stage_tail SET m__ts = '2024-06-04 08:00:00', m__source_file_path = NULL WHERE id = 25000`);
    expect(await load()).toEqual({ loadedAt: "2024-06-04T08:00:00", files: [{ path: "", rows: 3 }] });
  });

  it("reports an unknown database as BACKEND_OBJECT_NOT_FOUND", async () => {
    const other = await scratch.backend({ database: "assay_no_such_db_{stage}" });
    expect(await codeOf(other.listTestObjects(scratch.at))).toBe("BACKEND_OBJECT_NOT_FOUND");
  });
});
