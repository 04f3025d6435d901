import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAssayError, type Backend } from "@assay/ports";
import { collect, NO_SERVER, scratchDatabase, type Scratch } from "./server.js";

describe.skipIf(NO_SERVER)(`MariaDB semantics${NO_SERVER ? ` (skipped: ${NO_SERVER})` : ""}`, () => {
  let scratch: Scratch;
  let backend: Backend;
  beforeAll(async () => {
    scratch = await scratchDatabase();
    // The table's own collation is the server's case-insensitive default, on purpose (so no unique key: it would refuse b and B).
    await scratch.exec("CREATE TABLE words (k VARCHAR(10) COLLATE utf8mb4_general_ci, v VARCHAR(10) COLLATE utf8mb4_general_ci)");
    await scratch.exec("INSERT INTO words VALUES ('b', 'x'), ('B', 'x'), ('a', 'x'), ('A ', 'x'), ('é', 'x'), ('Z', 'X')");
    await scratch.exec(
      `CREATE TABLE numbers (id BIGINT PRIMARY KEY, big BIGINT, ubig BIGINT UNSIGNED, d DECIMAL(65,30), ts DATETIME(6), ts0 DATETIME, flag BOOLEAN, bytes VARBINARY(4))
       PARTITION BY HASH (id) PARTITIONS 2`,
    );
    await scratch.exec(
      `INSERT INTO numbers VALUES (1, 9007199254740993, 18446744073709551615, 12345678901234567890123456789012345.123456789012345678901234567891,
         '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05', TRUE, 0x00ff), (2, 42, 0, 0.5, '2024-01-02 00:00:00.5', '2024-01-02 00:00:00', FALSE, NULL)`,
    );
    /** A stage table (id, load time, file) holding these rows. */
    const stageTable = async (name: string, rows: string, loadTime = "DATETIME"): Promise<void> => {
      await scratch.exec(`CREATE TABLE ${name} (id INT, m__ts ${loadTime}, m__source_file_path VARCHAR(100))`);
      await scratch.exec(`INSERT INTO ${name} VALUES ${rows}`);
    };
    await stageTable("stage_x", "(1, '2024-01-01 08:00:00', 'old.csv'), (2, '2024-01-02 09:30:00', 'b.csv'), (3, '2024-01-02 09:30:00', 'b.csv'), (4, '2024-01-02 09:30:00', 'B.csv')");
    // Newest loads of one file, of rows naming no file, of both, and no load at all: latestLoad answers them without grouping by file.
    await stageTable("stage_one", "(1, '2024-01-01 08:00:00', 'old.csv'), (2, '2024-01-02 09:30:00', 'a.csv'), (3, '2024-01-02 09:30:00', 'a.csv'), (4, '2024-01-02 09:30:00', 'a.csv')");
    await stageTable("stage_unnamed", "(1, '2024-01-01 08:00:00', 'old.csv'), (2, '2024-01-02 09:30:00', NULL), (3, '2024-01-02 09:30:00', NULL)");
    await stageTable("stage_mixed", "(1, '2024-01-02 09:30:00', NULL), (2, '2024-01-02 09:30:00', 'a.csv'), (3, '2024-01-02 09:30:00', 'a.csv'), (4, NULL, 'z.csv')");
    await stageTable("stage_unloaded", "(1, NULL, 'a.csv')");
    // FLOAT load times: read back as their shortest decimal (2.2), which no FLOAT equals.
    await stageTable("stage_float", "(1, 1.1, 'old.csv'), (2, 2.2, 'a.csv'), (3, 2.2, 'b.csv'), (4, 2.2, 'b.csv')", "FLOAT");
    backend = await scratch.backend();
  });

  it("gives a newest load of one file, of rows naming no file, of both, and no load where no row has a load time", async () => {
    const latest = (name: string) => backend.latestLoad!({ ...scratch.at, name });
    expect(await latest("stage_one")).toEqual({ loadedAt: "2024-01-02T09:30:00", files: [{ path: "a.csv", rows: 3 }] });
    expect(await latest("stage_unnamed")).toEqual({ loadedAt: "2024-01-02T09:30:00", files: [{ path: "", rows: 2 }] });
    expect(await latest("stage_mixed")).toEqual({ loadedAt: "2024-01-02T09:30:00", files: [{ path: "", rows: 1 }, { path: "a.csv", rows: 2 }] });
    expect(await latest("stage_unloaded")).toEqual({ loadedAt: null, files: [] });
  });

  it("groups the newest load of several files even where its load time, as read, finds no row", async () => {
    expect(await backend.latestLoad!({ ...scratch.at, name: "stage_float" })).toEqual({ loadedAt: "2.2", files: [{ path: "a.csv", rows: 1 }, { path: "b.csv", rows: 2 }] });
  });

  it("gives the files of the newest load with their row counts, in code-point order of path", async () => {
    expect(await backend.latestLoad!({ ...scratch.at, name: "stage_x" })).toEqual({ loadedAt: "2024-01-02T09:30:00", files: [{ path: "B.csv", rows: 1 }, { path: "b.csv", rows: 2 }] });
  });
  afterAll(async () => scratch?.drop());

  it("scans text keys in code-point order, whatever the column's collation", async () => {
    const rows = await collect(backend.scan!({ at: scratch.at, source: { kind: "object", name: "words" }, orderBy: ["k"] }));
    expect(rows.map((r) => r.k)).toEqual(["A ", "B", "Z", "a", "b", "é"]);
  });

  it("compares text keys and values by code point: 'a' is not 'A', 'x' is not 'X', 'A ' is not 'A'", async () => {
    const expectedSql = "SELECT 'a' AS k, 'x' AS v UNION ALL SELECT 'A', 'x' UNION ALL SELECT 'b', 'x' UNION ALL SELECT 'B', 'x' UNION ALL SELECT 'é', 'x' UNION ALL SELECT 'Z', 'x'";
    const result = await backend.compare!({ at: scratch.at, object: "words", keys: ["k"], expectedSql, maxDiffRows: 10 });
    expect(result).toMatchObject({ expectedRows: 6, actualRows: 6, matchedRows: 4, missingRows: 1, extraRows: 1, mismatchedRows: 1 });
    expect(result.duplicateKeys).toEqual({ expected: 0, actual: 0 });
    expect(result.diff.map((d) => [d.kind, d.key.k])).toEqual([["missing", "A"], ["extra", "A "], ["mismatch", "Z"]]);
    expect(result.diff[2]).toMatchObject({ expected: { k: "Z", v: "x" }, actual: { k: "Z", v: "X" }, columns: ["v"] });
  });

  it("reads integers beyond 2^53 and decimals of 65 digits exactly, DATETIME with microseconds, booleans", async () => {
    const rows = await collect(backend.query("SELECT * FROM numbers ORDER BY id", scratch.at));
    expect(rows[0]).toEqual({
      id: 1,
      big: "9007199254740993",
      ubig: "18446744073709551615",
      d: "12345678901234567890123456789012345.123456789012345678901234567891",
      ts: "2024-01-02T03:04:05.123456",
      ts0: "2024-01-02T03:04:05",
      flag: true,
      bytes: Buffer.from([0, 255]).toString("base64"),
    });
    expect(rows[1]).toMatchObject({ big: 42, ubig: 0, flag: false, bytes: null });
  });

  it("compares integers beyond 2^53 exactly", async () => {
    const expectedSql = "SELECT id, big + (id = 1) AS big FROM numbers";
    const result = await backend.compare!({ at: scratch.at, object: "numbers", keys: ["id"], columns: ["big"], expectedSql });
    expect(result).toMatchObject({ matchedRows: 1, mismatchedRows: 1 });
    expect(result.diff[0]).toMatchObject({ key: { id: 1 }, expected: { big: "9007199254740994" }, actual: { big: "9007199254740993" } });
  });

  it("reports harmonised types, the primary key and the partitioning", async () => {
    const schema = await backend.getSchema({ ...scratch.at, name: "numbers" });
    expect(schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "id:bigint", "big:bigint", "ubig:decimal(20,0)", "d:decimal(65,30)", "ts:timestamp", "ts0:timestamp", "flag:boolean", "bytes:binary",
    ]);
    expect(schema.primaryKeys).toEqual(["id"]);
    expect(schema.partitioning).toEqual(["id"]);
    const query = await backend.getQuerySchema("SELECT id, d, flag, ts, count(*) AS n FROM numbers GROUP BY id, d, flag, ts", scratch.at);
    expect(query.map((c) => c.type)).toEqual(["bigint", "decimal(65,30)", "boolean", "timestamp", "bigint"]);
  });

  it("kills a running query when the call is aborted, and the server stops it", async () => {
    const controller = new AbortController();
    const running = collect(backend.query("SELECT SLEEP(30) AS s", scratch.at, { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort(new Error("test"));
    const error: unknown = await running.then(() => null, (e: unknown) => e);
    expect(isAssayError(error) && error.code).toBe("BACKEND_TIMEOUT");
    // The KILL QUERY reached the server: no SLEEP is left running (generous bound: a loaded machine).
    let left = 1;
    for (let i = 0; i < 50 && left > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      left = (await scratch.rows("SELECT count(*) AS n FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(30)%'"))[0]!.n as number;
    }
    expect(Number(left)).toBe(0);
  });
});
