import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAssayError, type Backend } from "@assay/ports";
import { checkReadOnly } from "../src/read-only.js";
import { MariaDbDriver } from "../src/driver.js";
import { connectionSettings, MariaDbOptions } from "../src/options.js";
import { collect, NO_SERVER, scratchDatabase, type Scratch } from "./server.js";

function refusal(sql: string, explain = false): string | null {
  try {
    checkReadOnly(sql, "The query", explain);
    return null;
  } catch (error) {
    return isAssayError(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

describe("the read-only classifier", () => {
  it.each([
    "SELECT 1",
    "select * from t where note = 'DROP TABLE t; INSERT INTO x'",
    "WITH a AS (SELECT 1 AS x) SELECT * FROM a",
    "(SELECT 1) UNION (SELECT 2)",
    "SELECT 1; -- trailing comment",
    "SELECT REPLACE(name, 'a', 'b'), INSERT(name, 1, 1, 'x') FROM t",
    'SELECT "update" FROM t -- a quoted name',
    "SELECT `delete` FROM t /* DROP TABLE t */",
    "VALUES (1), (2)",
  ])("lets %s through", (sql) => {
    expect(refusal(sql)).toBeNull();
  });

  it.each([
    ["DROP TABLE t", "DROP"],
    ["CREATE TABLE t2 (a INT)", "CREATE"],
    ["INSERT INTO t SELECT * FROM t", "INSERT"],
    ["WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a", "INSERT"],
    ["WITH a AS (SELECT 1) DELETE FROM t", "DELETE"],
    ["SELECT 1; DROP TABLE t", "2 statements"],
    ["SELECT * FROM t INTO OUTFILE '/tmp/x'", "SELECT ... INTO"],
    ["SELECT * FROM t FOR UPDATE", "UPDATE"],
    ["SET @a = 1", "SET"],
    ["/*!50000 DROP TABLE t */", "DROP"],
    ["SELECT NEXTVAL(s)", "NEXTVAL"],
    ["LOAD DATA INFILE 'x' INTO TABLE t", "LOAD"],
    ["CALL p()", "CALL"],
  ])("refuses %s before it runs, naming it", (sql, named) => {
    const message = refusal(sql);
    expect(message).toMatch(/^BACKEND_READ_ONLY: /);
    expect(message).toContain(named);
  });

  it("allows EXPLAIN of a query only where asked", () => {
    expect(refusal("EXPLAIN SELECT 1", true)).toBeNull();
    expect(refusal("EXPLAIN SELECT 1", false)).toMatch(/EXPLAIN/);
    expect(refusal("EXPLAIN DELETE FROM t", true)).toMatch(/^BACKEND_READ_ONLY/);
  });
});

describe.skipIf(NO_SERVER)(`read-only on the server${NO_SERVER ? ` (skipped: ${NO_SERVER})` : ""}`, () => {
  let scratch: Scratch;
  let backend: Backend;
  beforeAll(async () => {
    scratch = await scratchDatabase();
    await scratch.exec("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
    await scratch.exec("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    backend = await scratch.backend();
  });
  afterAll(async () => scratch?.drop());

  const attempts = [
    "DROP TABLE t",
    "CREATE TABLE t2 (a INT)",
    "INSERT INTO t SELECT id + 10, v FROM t",
    "WITH a AS (SELECT 3 AS id, 'c' AS v) INSERT INTO t SELECT * FROM a",
    "SELECT 1; DROP TABLE t",
    "INSERT INTO t WITH a AS (SELECT 3 AS id, 'c' AS v) SELECT * FROM a",
  ];
  it.each(attempts)("refuses %s through query(), compare() and getQuerySchema(), with the data unchanged", async (sql) => {
    const calls = [
      () => collect(backend.query(sql, scratch.at)),
      () => backend.compare!({ at: scratch.at, object: "t", keys: ["id"], expectedSql: sql }),
      () => backend.getQuerySchema(sql, scratch.at),
    ];
    for (const call of calls) {
      const error: unknown = await call().then(() => null, (e: unknown) => e);
      expect(isAssayError(error) && error.code).toBe("BACKEND_READ_ONLY");
    }
    expect(await scratch.rows("SELECT id, v FROM t ORDER BY id")).toEqual([{ id: 1, v: "a" }, { id: 2, v: "b" }]);
    expect((await scratch.rows("SHOW TABLES")).length).toBe(1);
  });

  // The second guard: a statement that got past the classifier meets a READ ONLY session.
  // MariaDB cannot parse a write after WITH (MySQL 8 can); the CTE goes inside the INSERT here.
  it.each([...attempts.slice(0, 3), "INSERT INTO t WITH a AS (SELECT 3 AS id, 'c' AS v) SELECT * FROM a"])("the session itself refuses %s when the classifier is bypassed", async (sql) => {
    const options = MariaDbOptions.parse({ url: process.env.ASSAY_MARIADB_URL });
    const driver = new MariaDbDriver({ connection: connectionSettings(options), poolSize: 1, scrub: (t) => t });
    const session = await driver.open({ database: scratch.database, schema: scratch.database }, new AbortController().signal);
    try {
      const error = await session.all(sql).then(() => null, (e: unknown) => e as { code?: string });
      expect(error?.code).toBe("ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION");
      // A DDL statement ends MariaDB's transaction implicitly: the session setting still holds after it.
      const again = await session.all("CREATE TABLE t3 (a INT)").then(() => null, (e: unknown) => e as { code?: string });
      expect(again?.code).toBe("ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION");
    } finally {
      await session.release(true);
      await driver.close();
    }
    expect(await scratch.rows("SELECT id, v FROM t ORDER BY id")).toEqual([{ id: 1, v: "a" }, { id: 2, v: "b" }]);
    expect((await scratch.rows("SHOW TABLES")).length).toBe(1);
  });
});
