import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { isAssayError, type Backend } from "@assay/ports";
import { ClickHouseDriver } from "../src/driver.js";
import { EmbeddedTransport } from "../src/transport.js";
import { collect, embedded } from "./embedded.js";

describe("ClickHouse semantics (embedded chDB)", () => {
  const chdb = embedded();
  let backend: Backend;
  beforeAll(async () => {
    await chdb.exec([
      `CREATE TABLE {db}.wide (id UInt64, d Decimal(76, 10), i128 Int128, i256 Int256, u64 UInt64, ts3 DateTime64(3), ts9 DateTime64(9), n Nullable(Int32), plain Int32, s String, f Float64)
         ENGINE = MergeTree PARTITION BY toYYYYMM(ts3) ORDER BY (id, plain)`,
      `INSERT INTO {db}.wide VALUES
         (1, 123456789012345678901234567890123456789012345678901234567890123456.1234567891, -170141183460469231731687303715884105728,
          -57896044618658097711785492504343953926634992332820282019728792003956564819968, 18446744073709551615,
          '2024-01-02 03:04:05.123', '2024-01-02 03:04:05.123456789', NULL, 0, 'a', nan),
         (2, 0.5, 1, 2, 9007199254740993, '2024-01-02 00:00:00', '2024-01-02 00:00:00', 7, 7, 'A', 1.5)`,
      "CREATE TABLE {db}.target (id UInt64, v Int32) ENGINE = MergeTree ORDER BY id",
      "INSERT INTO {db}.target VALUES (1, 10), (2, 20)",
      "CREATE TABLE {db}.stage_x (id Int32, m__ts DateTime, m__source_file_path String) ENGINE = MergeTree ORDER BY tuple()",
      "INSERT INTO {db}.stage_x VALUES (1, '2024-01-01 08:00:00', 'old.csv'), (2, '2024-01-02 09:30:00', 'b.csv'), (3, '2024-01-02 09:30:00', 'b.csv'), (4, '2024-01-02 09:30:00', 'B.csv')",
    ]);
    backend = await chdb.backend();
  });

  it("gives the files of the newest load with their row counts, in code-point order of path", async () => {
    expect(await backend.latestLoad!({ ...chdb.at, name: "stage_x" })).toEqual({ loadedAt: "2024-01-02T09:30:00", files: [{ path: "B.csv", rows: 1 }, { path: "b.csv", rows: 2 }] });
  });
  afterAll(() => chdb.cleanup());

  it("reads Decimal(76), Int128, Int256 and UInt64 exactly, DateTime64 at each precision, NULL and NaN", async () => {
    const rows = await collect(backend.query("SELECT * FROM wide ORDER BY id", chdb.at));
    expect(rows[0]).toEqual({
      id: 1,
      d: "123456789012345678901234567890123456789012345678901234567890123456.1234567891",
      i128: "-170141183460469231731687303715884105728",
      i256: "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
      u64: "18446744073709551615",
      ts3: "2024-01-02T03:04:05.123",
      ts9: "2024-01-02T03:04:05.123456789",
      n: null,
      plain: 0,
      s: "a",
      f: "NaN", // as the other engines spell it (ClickHouse writes nan)
    });
    expect(rows[1]).toMatchObject({ u64: "9007199254740993", i128: 1, n: 7, f: 1.5 });
  });

  it("reports harmonised types, the sorting key as clustering and the partition key as partitioning, no primary keys", async () => {
    const schema = await backend.getSchema({ ...chdb.at, name: "wide" });
    expect(schema.columns.map((c) => c.type)).toEqual([
      "decimal(20,0)", "decimal(76,10)", "hugeint", "decimal(77,0)", "decimal(20,0)", "timestamp", "timestamp", "int", "int", "string", "double",
    ]);
    expect(schema).toMatchObject({ primaryKeys: null, clustering: ["id", "plain"], partitioning: ["toYYYYMM(ts3)"] });
  });

  it("shows a missing key's actual side as NULL, not the column type's default (join_use_nulls), and compares Nullable with non-Nullable", async () => {
    const expectedSql = "SELECT toUInt64(1) AS id, CAST(10 AS Nullable(Int32)) AS v UNION ALL SELECT toUInt64(3), NULL";
    const result = await backend.compare!({ at: chdb.at, object: "target", keys: ["id"], expectedSql, maxDiffRows: 10 });
    expect(result).toMatchObject({ expectedRows: 2, actualRows: 2, matchedRows: 1, missingRows: 1, extraRows: 1, mismatchedRows: 0 });
    expect(result.diff.map((d) => [d.kind, d.key.id, d.expected?.v ?? null, d.actual?.v ?? null])).toEqual([
      ["extra", 2, null, 20],
      ["missing", 3, null, null],
    ]);
  });

  it("compares UInt64 values beyond 2^53 exactly", async () => {
    const expectedSql = "SELECT id, if(id = 2, u64 + 1, u64) AS u64 FROM wide";
    const result = await backend.compare!({ at: chdb.at, object: "wide", keys: ["id"], columns: ["u64"], expectedSql });
    expect(result).toMatchObject({ matchedRows: 1, mismatchedRows: 1 });
    expect(result.diff[0]).toMatchObject({ key: { id: 2 }, expected: { u64: "9007199254740994" }, actual: { u64: "9007199254740993" } });
  });

  it.each(["DROP TABLE target", "CREATE TABLE t2 (a Int32) ENGINE = Memory", "INSERT INTO target SELECT id + 10, v FROM target", "SELECT 1; DROP TABLE target", "TRUNCATE TABLE target"])(
    "refuses %s before it runs, with the data unchanged",
    async (sql) => {
      for (const call of [() => collect(backend.query(sql, chdb.at)), () => backend.getQuerySchema(sql, chdb.at), () => backend.compare!({ at: chdb.at, object: "target", keys: ["id"], expectedSql: sql })]) {
        const error: unknown = await call().then(() => null, (e: unknown) => e);
        expect(isAssayError(error) && error.code).toBe("BACKEND_READ_ONLY");
      }
      expect(await collect(backend.query("SELECT id, v FROM target ORDER BY id", chdb.at))).toEqual([{ id: 1, v: 10 }, { id: 2, v: 20 }]);
      expect((await backend.listTestObjects(chdb.at)).map((o) => o.name)).toEqual(["stage_x", "target", "wide"]);
    },
  );

  it("runs every statement with readonly set, so the engine refuses a write that got past the check", async () => {
    await backend.close();
    const driver = new ClickHouseDriver(new EmbeddedTransport(path.join(chdb.dir, "data")), 60_000, "chDB");
    const session = await driver.open({ database: "payments_test_alpha", schema: "payments_test_alpha" }, new AbortController().signal);
    try {
      for (const sql of ["DROP TABLE target", "INSERT INTO target SELECT id + 10, v FROM target"]) {
        const error = await session.all(sql).then(() => null, (e: unknown) => e as Error);
        expect(error?.message).toMatch(/^Code: 164\. .*readonly mode/s);
      }
      expect(await session.all("SELECT count() AS n FROM target")).toEqual([{ n: 2 }]);
    } finally {
      await session.release(false);
      await driver.close();
    }
  });
});
