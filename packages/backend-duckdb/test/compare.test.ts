import { CompareResult, type Backend, type CompareRequest } from "@assay/ports";
import { createSqlBackend } from "@assay/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckDbDialect, DuckDbDriver } from "../src/index.js";
import { AT, backendAt, buildDatabase, defaultDatabase, failure, tempProject } from "./helpers.js";

const project = tempProject();
let tuned: Backend;
/** The kit's portable plan (union + group by key) on the same engine: every test runs on both plans. */
let portable: Backend;

beforeAll(async () => {
  await buildDatabase(defaultDatabase(project.root), [
    "CREATE SCHEMA alpha",
    "CREATE TABLE alpha.nullkeys (id INTEGER, v VARCHAR)",
    "INSERT INTO alpha.nullkeys VALUES (NULL, 'n'), (1, 'a'), (2, 'b')",
    "CREATE TABLE alpha.composite (region VARCHAR, id INTEGER, amount DECIMAL(12,2))",
    "INSERT INTO alpha.composite VALUES ('eu', 1, 1.00), ('eu', 2, 2.00), ('us', 1, 3.00), (NULL, 1, 4.00)",
    "CREATE TABLE alpha.dups (code VARCHAR, n INTEGER)",
    "INSERT INTO alpha.dups VALUES ('a', 1), ('b', 2), ('b', 2), ('b', 3), ('c', 4), ('c', 4)",
    "CREATE TABLE alpha.numbers (id INTEGER, d DECIMAL(12,2), x DOUBLE, i INTEGER, day DATE)",
    "INSERT INTO alpha.numbers VALUES (1, 10.50, 0.3, 5, DATE '2024-01-01'), (2, 10.50, 1.5, 6, DATE '2024-01-02'), (3, NULL, NULL, NULL, NULL)",
    "CREATE TABLE alpha.many (id INTEGER, v INTEGER)",
    "INSERT INTO alpha.many SELECT range, range FROM range(20000)",
  ]);
  tuned = await backendAt(project.root);
  portable = createSqlBackend(new DuckDbDriver({ readOnly: true }), { ...duckDbDialect, comparePlanner: undefined }, {
    name: "duckdb",
    target: (at) => ({ database: defaultDatabase(project.root), schema: at.instance }),
    describe: (at) => `schema ${at.instance}`,
    timeoutMs: 60_000,
  });
});

afterAll(async () => {
  await tuned?.close();
  await portable?.close();
  project.cleanup();
});

describe.each(["tuned", "portable"] as const)("compare (%s plan)", (plan) => {
  const backend = (): Backend => (plan === "tuned" ? tuned : portable);
  const compare = async (request: Omit<CompareRequest, "at">): Promise<CompareResult> => CompareResult.parse(await backend().compare!({ at: AT, ...request }));

  it("matches NULL keys with NULL keys", async () => {
    const same = await compare({ object: "nullkeys", keys: ["id"], expectedSql: "SELECT * FROM (VALUES (NULL::INTEGER, 'n'), (1, 'a'), (2, 'b')) t(id, v)" });
    expect(same).toMatchObject({ expectedRows: 3, actualRows: 3, matchedRows: 3, missingRows: 0, extraRows: 0, mismatchedRows: 0 });
    const changed = await compare({ object: "nullkeys", keys: ["id"], expectedSql: "SELECT * FROM (VALUES (NULL::INTEGER, 'm'), (1, 'a'), (2, 'b')) t(id, v)" });
    expect(changed.mismatchedRows).toBe(1);
    expect(changed.diff).toEqual([{ kind: "mismatch", key: { id: null }, expected: { id: null, v: "m" }, actual: { id: null, v: "n" }, columns: ["v"] }]);
  });

  it("compares on composite keys, ordering differing rows by key with NULLs first", async () => {
    const result = await compare({
      object: "composite",
      keys: ["region", "id"],
      expectedSql: "SELECT * FROM (VALUES ('eu', 1, 1.00), ('eu', 2, 2.50), ('us', 2, 3.00), (NULL, 1, 4.00)) t(region, id, amount)",
    });
    expect(result).toMatchObject({ matchedRows: 2, mismatchedRows: 1, missingRows: 1, extraRows: 1 });
    expect(result.diff.map((d) => [d.kind, d.key])).toEqual([
      ["mismatch", { region: "eu", id: 2 }],
      ["extra", { region: "us", id: 1 }],
      ["missing", { region: "us", id: 2 }],
    ]);
    expect(result.columns).toEqual([{ name: "amount", mismatches: 1 }]);
    expect(result.diff[0]!.expected).toEqual({ region: "eu", id: 2, amount: "2.50" });
    expect(result.diff[0]!.actual).toEqual({ region: "eu", id: 2, amount: "2.00" });
  });

  it("counts duplicated keys per side and reports them instead of comparing their rows", async () => {
    const result = await compare({
      object: "dups",
      keys: ["code"],
      expectedSql: "SELECT * FROM (VALUES ('a', 1), ('a', 1), ('b', 2), ('c', 4), ('d', 5)) t(code, n)",
    });
    expect(result).toMatchObject({ expectedRows: 5, actualRows: 6, matchedRows: 0, missingRows: 1, extraRows: 0, mismatchedRows: 0 });
    expect(result.duplicateKeys).toEqual({ expected: 1, actual: 2 });
    expect(result.diff.map((d) => [d.kind, d.key.code, d.side ?? null, d.count ?? null])).toEqual([
      ["duplicate", "a", "expected", 2],
      ["duplicate", "b", "actual", 3],
      ["duplicate", "c", "actual", 2],
      ["missing", "d", null, null],
    ]);
  });

  it("reports a key duplicated on both sides once per side", async () => {
    const result = await compare({ object: "dups", keys: ["code"], expectedSql: "SELECT * FROM (VALUES ('b', 2), ('b', 2)) t(code, n)" });
    expect(result.diff.filter((d) => d.key.code === "b").map((d) => [d.side, d.count])).toEqual([
      ["expected", 2],
      ["actual", 3],
    ]);
    expect(result.duplicateKeys).toEqual({ expected: 1, actual: 2 });
  });

  it("treats a difference exactly equal to the tolerance as equal, and one just above as a mismatch", async () => {
    const sql = (d: string) => `SELECT id, d FROM numbers WHERE id <> 1 UNION ALL SELECT 1, ${d}::DECIMAL(12,2)`;
    const base = { object: "numbers", keys: ["id"], columns: ["d"] };
    expect((await compare({ ...base, expectedSql: sql("10.55"), tolerance: { default: 0.05 } })).mismatchedRows).toBe(0);
    expect((await compare({ ...base, expectedSql: sql("10.56"), tolerance: { default: 0.05 } })).mismatchedRows).toBe(1);
    expect((await compare({ ...base, expectedSql: sql("10.45"), tolerance: { default: 0, columns: { d: 0.05 } } })).mismatchedRows).toBe(0);
    expect((await compare({ ...base, expectedSql: sql("10.51"), tolerance: { default: 0 } })).mismatchedRows).toBe(1);
  });

  it("accepts float rounding within the tolerance and reports it beyond", async () => {
    const expectedSql = "SELECT id, CASE WHEN id = 1 THEN 0.1::DOUBLE + 0.2::DOUBLE WHEN id = 2 THEN 1.75::DOUBLE END AS x FROM numbers";
    const base = { object: "numbers", keys: ["id"], columns: ["x"], expectedSql };
    // id 1: 0.30000000000000004 vs 0.3; id 2: 1.75 vs 1.5 (a difference of exactly 0.25).
    expect((await compare({ ...base, tolerance: { default: 1e-9 } })).columns).toEqual([{ name: "x", mismatches: 1 }]);
    expect((await compare({ ...base, tolerance: { default: 0.25 } })).mismatchedRows).toBe(0);
    expect((await compare({ ...base, tolerance: { default: 0 } })).mismatchedRows).toBe(2);
  });

  it("compares across types by value: INTEGER with DECIMAL, DATE with VARCHAR, NULL with a value", async () => {
    const result = await compare({
      object: "numbers",
      keys: ["id"],
      columns: ["i", "day", "x"],
      expectedSql: `SELECT id, CAST(i AS DECIMAL(10,2)) AS i, CAST(day AS VARCHAR) AS day, CASE WHEN id = 3 THEN 1.0 ELSE x END AS x FROM numbers`,
    });
    expect(result).toMatchObject({ matchedRows: 2, mismatchedRows: 1 });
    expect(result.columns).toEqual([
      { name: "i", mismatches: 0 },
      { name: "day", mismatches: 0 },
      { name: "x", mismatches: 1 },
    ]);
    expect(result.diff[0]).toMatchObject({ kind: "mismatch", key: { id: 3 }, columns: ["x"], actual: { x: null } });
  });

  it("caps the diff at maxDiffRows in key order and says it was truncated", async () => {
    const expectedSql = "SELECT id, CASE WHEN id % 1000 = 7 THEN v + 1 ELSE v END AS v FROM many WHERE id % 1000 <> 3 UNION ALL SELECT 50000 + range, 0 FROM range(5)";
    const full = await compare({ object: "many", keys: ["id"], expectedSql, maxDiffRows: 1000 });
    expect(full).toMatchObject({ expectedRows: 19985, actualRows: 20000, mismatchedRows: 20, extraRows: 20, missingRows: 5, truncated: false });
    expect(full.diff).toHaveLength(45);
    const capped = await compare({ object: "many", keys: ["id"], expectedSql, maxDiffRows: 4 });
    expect(capped.truncated).toBe(true);
    expect(capped.diff.map((d) => [d.kind, d.key.id])).toEqual([
      ["extra", 3],
      ["mismatch", 7],
      ["extra", 1003],
      ["mismatch", 1007],
    ]);
    const none = await compare({ object: "many", keys: ["id"], expectedSql, maxDiffRows: 0 });
    expect([none.diff, none.truncated, none.mismatchedRows]).toEqual([[], true, 20]);
  });

  it("samples deterministically by key hash, the same keys on both sides", async () => {
    const request = { object: "many", keys: ["id"], expectedSql: "SELECT * FROM many", sample: { percent: 10, seed: "s1" } };
    const first = await compare(request);
    const second = await compare(request);
    expect(second).toEqual(first);
    // Identical sides: any key sampled on one side only would show as missing or extra.
    expect(first).toMatchObject({ missingRows: 0, extraRows: 0, mismatchedRows: 0, sample: { percent: 10, seed: "s1" } });
    expect(first.expectedRows).toBe(first.actualRows);
    expect(first.expectedRows).toBeGreaterThan(1600);
    expect(first.expectedRows).toBeLessThan(2400);
    const other = await compare({ ...request, sample: { percent: 10, seed: "s2" } });
    expect(other.expectedRows).not.toBe(first.expectedRows);
    const changed = await compare({ ...request, expectedSql: "SELECT id, v + 1 AS v FROM many", sample: { percent: 10, seed: "s1" } });
    expect(changed.mismatchedRows).toBe(first.expectedRows);
  });

  it("embeds expected SQL as written: trailing semicolons and comments", async () => {
    const result = await compare({ object: "nullkeys", keys: ["id"], expectedSql: "SELECT * FROM nullkeys; -- the whole table\n" });
    expect(result.matchedRows).toBe(3);
    const comment = await compare({ object: "nullkeys", keys: ["id"], expectedSql: "SELECT * FROM nullkeys -- trailing comment" });
    expect(comment.matchedRows).toBe(3);
  });

  it("names a compared or key column the object lacks", async () => {
    const column = await failure(compare({ object: "nullkeys", keys: ["id"], expectedSql: "SELECT id, v, 1 AS extra_col FROM nullkeys" }));
    expect(column.code).toBe("BACKEND_QUERY");
    expect(column.message).toContain('"extra_col"');
    const key = await failure(compare({ object: "nullkeys", keys: ["nope"], expectedSql: "SELECT * FROM nullkeys" }));
    expect(key.message).toContain('"nope"');
    expect((await failure(compare({ object: "no_such", keys: ["id"], expectedSql: "SELECT 1 AS id" }))).code).toBe("BACKEND_OBJECT_NOT_FOUND");
  });

  it("reports keys repeated alike on both sides although every bucket's checksum agrees", async () => {
    const result = await compare({ object: "dups", keys: ["code"], expectedSql: "SELECT * FROM dups" });
    expect(result).toMatchObject({ expectedRows: 6, actualRows: 6, matchedRows: 1, missingRows: 0, extraRows: 0, mismatchedRows: 0 });
    expect(result.duplicateKeys).toEqual({ expected: 2, actual: 2 });
  });

  it("finds values swapped between rows and a single changed row among 20,000", async () => {
    const swapped = await compare({ object: "many", keys: ["id"], expectedSql: "SELECT id, CASE id WHEN 1 THEN 2 WHEN 2 THEN 1 ELSE v END AS v FROM many" });
    expect(swapped).toMatchObject({ matchedRows: 19_998, mismatchedRows: 2 });
    const one = await compare({ object: "many", keys: ["id"], expectedSql: "SELECT id, CASE WHEN id = 777 THEN -1 ELSE v END AS v FROM many" });
    expect(one).toMatchObject({ expectedRows: 20_000, actualRows: 20_000, matchedRows: 19_999, mismatchedRows: 1 });
    expect(one.diff).toEqual([{ kind: "mismatch", key: { id: 777 }, expected: { id: 777, v: -1 }, actual: { id: 777, v: 777 }, columns: ["v"] }]);
  });

  it("matches values equal within the tolerance whose checksums differ", async () => {
    const result = await compare({ object: "many", keys: ["id"], expectedSql: "SELECT id, v + 0.25 AS v FROM many", tolerance: { default: 0.5 } });
    expect(result).toMatchObject({ matchedRows: 20_000, mismatchedRows: 0 });
  });

  it("gives consistent counts for an expected query that is not deterministic (random())", async () => {
    const half = await compare({ object: "many", keys: ["id"], expectedSql: "SELECT id, v FROM many WHERE random() < 0.5" });
    expect(half.matchedRows).toBe(half.expectedRows);
    expect(half.matchedRows + half.extraRows).toBe(20_000);
    expect(half).toMatchObject({ actualRows: 20_000, missingRows: 0, mismatchedRows: 0 });
    const noisy = await compare({ object: "many", keys: ["id"], expectedSql: "SELECT id, CASE WHEN random() < 0.5 THEN v ELSE -1 END AS v FROM many", maxDiffRows: 50 });
    expect(noisy.matchedRows + noisy.mismatchedRows).toBe(20_000);
    expect(noisy.columns).toEqual([{ name: "v", mismatches: noisy.mismatchedRows }]);
    expect(noisy.diff.every((d) => d.expected?.v === -1)).toBe(true);
  });

  it("leaves no temp tables behind", async () => {
    await compare({ object: "nullkeys", keys: ["id"], expectedSql: "SELECT * FROM nullkeys" });
    await compare({ object: "many", keys: ["id"], expectedSql: "SELECT id, v + 1 AS v FROM many WHERE id > 5" });
    const rows = [];
    for await (const row of backend().query("SELECT count(*) AS n FROM duckdb_tables() WHERE temporary", AT)) rows.push(row);
    expect(rows).toEqual([{ n: 0 }]);
  });
});
