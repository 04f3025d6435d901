import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Backend } from "@assay/ports";
import { retryOnTimeout } from "@assay/ports/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AT, backendAt, buildDatabase, collect, defaultDatabase, failure, tempProject } from "./helpers.js";

const BETA = { ...AT, instance: "beta" };
const project = tempProject();
let backend: Backend;

beforeAll(async () => {
  await buildDatabase(defaultDatabase(project.root), [
    "CREATE SCHEMA alpha",
    "CREATE SCHEMA beta",
    "CREATE TABLE alpha.accounts (id INTEGER, branch VARCHAR, opened DATE, PRIMARY KEY (branch, id))",
    "INSERT INTO alpha.accounts VALUES (1, 'x', DATE '2024-01-01'), (2, 'x', DATE '2024-01-02'), (3, 'y', NULL)",
    "CREATE TABLE beta.accounts (id INTEGER, branch VARCHAR, opened DATE)",
    "INSERT INTO beta.accounts VALUES (10, 'z', DATE '2024-02-01')",
    "CREATE VIEW alpha.accounts_x AS SELECT * FROM alpha.accounts WHERE branch = 'x'",
    `CREATE TABLE alpha.all_types (i INTEGER, big BIGINT, huge HUGEINT, d DECIMAL(18,2), f FLOAT, x DOUBLE, s VARCHAR, b BOOLEAN,
       dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, t TIME, iv INTERVAL, bl BLOB, u UUID, j JSON, l INTEGER[], st STRUCT(a INTEGER, b VARCHAR), sm SMALLINT, ti TINYINT)`,
    `INSERT INTO alpha.all_types VALUES (1, 9007199254740993, 170141183460469231731687303715884105727, 12345678901.25, 1.5, 'NaN'::DOUBLE, 'hé', true,
       DATE '2024-03-01', TIMESTAMP '2024-03-01 10:11:12.345678', TIMESTAMPTZ '2024-03-01 10:00:00+02', TIME '10:11:12', INTERVAL 3 DAY, '\\x01\\x02'::BLOB,
       'b3c2c4f8-2b6e-4a1b-9b0c-2f1f7f2b8a11', '{"k": 1}', [1, 2], {'a': 1, 'b': 'v'}, 7, 8)`,
  ]);
  backend = await backendAt(project.root);
});

afterAll(async () => {
  await backend?.close();
  project.cleanup();
});

describe("coordinates", () => {
  it("resolves unqualified table names in user SQL to the instance's schema", async () => {
    const [alpha] = await collect(backend.query("SELECT count(*) AS n, min(id) AS first FROM accounts", AT));
    const [beta] = await collect(backend.query("SELECT count(*) AS n, min(id) AS first FROM accounts", BETA));
    expect(alpha).toEqual({ n: 3, first: 1 });
    expect(beta).toEqual({ n: 1, first: 10 });
  });

  it("keeps instances apart under concurrent calls on one database file", async () => {
    const runs = Array.from({ length: 12 }, (_, i) => backend.countRows({ ...(i % 2 ? BETA : AT), name: "accounts" }));
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 ? 1 : 3)));
  });

  it("lists tables and views", async () => {
    const objects = await backend.listTestObjects(AT);
    expect(objects).toEqual([
      { name: "accounts", kind: "table" },
      { name: "accounts_x", kind: "view" },
      { name: "all_types", kind: "table" },
    ]);
  });

  it("names a missing database file clearly and does not create it", async () => {
    const missing = { ...AT, stage: "uat" };
    const error = await failure(backend.listTestObjects(missing));
    expect(error.code).toBe("BACKEND_OBJECT_NOT_FOUND");
    expect(error.message).toContain(join(project.root, "warehouse", "shop_uat.duckdb"));
    expect(existsSync(join(project.root, "warehouse", "shop_uat.duckdb"))).toBe(false);
  });

  it("names a missing schema clearly", async () => {
    const error = await failure(backend.countRows({ ...AT, instance: "gamma", name: "accounts" }));
    expect(error.code).toBe("BACKEND_OBJECT_NOT_FOUND");
    expect(error.message).toContain('"gamma"');
  });
});

describe("schemas", () => {
  it("reports raw and harmonised types in column order and primary keys in constraint order", async () => {
    const schema = await backend.getSchema({ ...AT, name: "accounts" });
    expect(schema.columns).toEqual([
      { name: "id", rawType: "INTEGER", type: "int" },
      { name: "branch", rawType: "VARCHAR", type: "string" },
      { name: "opened", rawType: "DATE", type: "date" },
    ]);
    expect(schema.primaryKeys).toEqual(["branch", "id"]);
    expect(schema.partitioning).toBeNull();
  });

  it("harmonises every DuckDB type of a table", async () => {
    const schema = await backend.getSchema({ ...AT, name: "all_types" });
    expect(Object.fromEntries(schema.columns.map((c) => [c.name, c.type]))).toEqual({
      i: "int", big: "bigint", huge: "hugeint", d: "decimal(18,2)", f: "float", x: "double", s: "string", b: "boolean",
      dt: "date", ts: "timestamp", tz: "timestamptz", t: "time", iv: "interval", bl: "binary", u: "uuid", j: "json",
      l: "integer[]", st: "struct(a integer, b varchar)", sm: "smallint", ti: "tinyint",
    });
    expect(schema.primaryKeys).toEqual([]);
  });

  it("reports a view's columns", async () => {
    const schema = await backend.getSchema({ ...AT, name: "accounts_x" });
    expect(schema.columns.map((c) => c.name)).toEqual(["id", "branch", "opened"]);
  });

  it("gives a query's columns without running it", async () => {
    // error() would fail if the query ran; binding alone gives the types.
    const columns = await backend.getQuerySchema("SELECT id, CAST(error('not run') AS DECIMAL(10,3)) AS amount, opened FROM accounts", AT);
    expect(columns).toEqual([
      { name: "id", rawType: "INTEGER", type: "int" },
      { name: "amount", rawType: "DECIMAL(10,3)", type: "decimal(10,3)" },
      { name: "opened", rawType: "DATE", type: "date" },
    ]);
  });
});

describe("values", () => {
  it("normalises every DuckDB value to a plain cell value", async () => {
    const [row] = await collect(backend.query("SELECT * FROM all_types", AT));
    expect(row).toEqual({
      i: 1,
      big: "9007199254740993",
      huge: "170141183460469231731687303715884105727",
      d: "12345678901.25",
      f: 1.5,
      x: "NaN",
      s: "hé",
      b: true,
      dt: "2024-03-01",
      ts: "2024-03-01T10:11:12.345678",
      tz: "2024-03-01T08:00:00Z",
      t: "10:11:12",
      iv: "3 days",
      bl: Buffer.from([1, 2]).toString("base64"),
      u: "b3c2c4f8-2b6e-4a1b-9b0c-2f1f7f2b8a11",
      j: '{"k": 1}',
      l: "[1,2]",
      st: '{"a":1,"b":"v"}',
      sm: 7,
      ti: 8,
    });
  });

  it("streams large results chunk by chunk", async () => {
    let rows = 0;
    let last = -1;
    for await (const row of backend.query("SELECT range AS n FROM range(10000) ORDER BY n", AT)) {
      rows++;
      last = row.n as number;
    }
    expect([rows, last]).toEqual([10000, 9999]);
  });

  it("gives the connection back when the consumer stops early", async () => {
    for (let i = 0; i < 6; i++) {
      for await (const row of backend.query("SELECT range AS n FROM range(100000)", AT)) if (row.n === 10) break;
    }
    expect(await Promise.all([1, 2, 3, 4, 5].map(() => backend.countRows({ ...AT, name: "accounts" })))).toEqual([3, 3, 3, 3, 3]);
  });

  it("counts rows with filters bound as values, dates included", async () => {
    const obj = { ...AT, name: "accounts" };
    expect(await backend.countRows(obj, [{ column: "opened", value: "2024-01-02" }])).toBe(1);
    expect(await backend.countRows(obj, [{ column: "branch", value: "x" }, { column: "id", value: 1 }])).toBe(1);
    expect(await backend.countRows(obj, [{ column: "opened", value: null }])).toBe(1);
    expect(await backend.countRows(obj, [{ column: "branch", value: 1 }])).toBe(0);
  });

  it("scans in key order with NULLs first, from an object or a query", async () => {
    const fromObject = await collect(backend.scan!({ at: AT, source: { kind: "object", name: "accounts" }, orderBy: ["opened"], columns: ["id"] }));
    expect(fromObject).toEqual([{ id: 3 }, { id: 1 }, { id: 2 }]);
    const fromQuery = await collect(
      backend.scan!({ at: AT, source: { kind: "query", sql: "SELECT id, branch FROM accounts; -- all of them" }, orderBy: ["branch", "id"] }),
    );
    expect(fromQuery.map((r) => r.id)).toEqual([1, 2, 3]);
  });
});

describe("errors", () => {
  it("reports SQL errors with DuckDB's message and unknown tables as not found", async () => {
    const bad = await failure(collect(backend.query("SELECT nosuch FROM accounts", AT)));
    expect(bad.code).toBe("BACKEND_QUERY");
    expect(bad.message).toContain("nosuch");
    expect((await failure(collect(backend.query("SELECT * FROM no_such_table", AT)))).code).toBe("BACKEND_OBJECT_NOT_FOUND");
  });

  it("interrupts a query past timeoutMs with BACKEND_TIMEOUT and stays usable", async () => {
    const slow = await backendAt(project.root, { timeoutMs: 200 });
    try {
      // Proved by the reason: the query alone would run for hours; it ends with the 200 ms limit's error.
      const error = await failure(collect(slow.query("SELECT max(hash(a.range + b.range)) AS m FROM range(1000000) a, range(1000000) b", AT)));
      expect(error.code).toBe("BACKEND_TIMEOUT");
      expect(error.message).toContain("200 ms");
      const compare = await failure(
        slow.compare!({ at: AT, object: "accounts", keys: ["id"], expectedSql: "SELECT a.range AS id FROM range(1000000) a, range(1000000) b" }),
      );
      expect(compare.code).toBe("BACKEND_TIMEOUT");
      // Usable still: a small count answers (a stuck backend times out every try).
      expect(await retryOnTimeout(() => slow.countRows({ ...AT, name: "accounts" }))).toBe(3);
    } finally {
      await slow.close();
    }
  });

  it("interrupts a query when the caller's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(
      collect(backend.query("SELECT max(hash(a.range + b.range)) AS m FROM range(1000000) a, range(1000000) b", AT, { signal: controller.signal })),
    );
    expect(error.code).toBe("BACKEND_TIMEOUT");
    expect(await backend.countRows({ ...AT, name: "accounts" })).toBe(3);
  });

  it("closes idempotently and refuses calls afterwards", async () => {
    const other = await backendAt(project.root);
    expect(await other.countRows({ ...AT, name: "accounts" })).toBe(3);
    await other.close();
    await expect(other.close()).resolves.toBeUndefined();
    expect((await failure(other.countRows({ ...AT, name: "accounts" }))).code).toBe("BACKEND_CLOSED");
  });
});

describe("read-only", () => {
  const copyTarget = () => join(project.root, "out");

  it.each([
    ["DELETE", "DELETE FROM accounts"],
    ["DROP", "DROP TABLE accounts"],
    ["COPY TO", `COPY accounts TO '${join(project.root, "out", "copy.csv")}'`],
    ["COPY (query) TO", `COPY (SELECT * FROM accounts) TO '${join(project.root, "out", "query.csv")}' (FORMAT csv)`],
    ["INSERT", "INSERT INTO accounts VALUES (9, 'x', NULL)"],
    ["UPDATE", "UPDATE accounts SET id = 5"],
    ["CREATE", "CREATE TABLE t2 AS SELECT * FROM accounts"],
    ["ATTACH", `ATTACH '${join(project.root, "out", "other.duckdb")}' AS other`],
    ["INSTALL", "INSTALL httpfs"],
    ["LOAD", "LOAD json"],
    ["SET", "SET threads = 1"],
    ["PRAGMA", "PRAGMA enable_profiling"],
    ["EXPORT DATABASE", `EXPORT DATABASE '${join(project.root, "out", "export")}'`],
    ["EXPLAIN ANALYZE of COPY", `EXPLAIN ANALYZE COPY accounts TO '${join(project.root, "out", "explain.csv")}'`],
    ["a write after a SELECT", "SELECT 1; DROP TABLE accounts"],
    ["a write behind a comment", "-- harmless\nDELETE FROM accounts"],
    ["DROP of a missing table", "DROP TABLE no_such_table"],
  ])("refuses %s with BACKEND_READ_ONLY and changes nothing", async (_label, sql) => {
    mkdirSync(copyTarget(), { recursive: true });
    const error = await failure(collect(backend.query(sql, AT)));
    expect(error.code).toBe("BACKEND_READ_ONLY");
    expect(error.message).toMatch(/read-only/);
    expect(await backend.countRows({ ...AT, name: "accounts" })).toBe(3);
    expect(readdirSync(copyTarget())).toEqual([]);
  });

  it("refuses a writing expected query in COMPARE and a writing query's schema", async () => {
    const compare = await failure(backend.compare!({ at: AT, object: "accounts", keys: ["id"], expectedSql: "DELETE FROM accounts" }));
    expect(compare.code).toBe("BACKEND_READ_ONLY");
    expect((await failure(backend.getQuerySchema("DROP TABLE accounts", AT))).code).toBe("BACKEND_READ_ONLY");
    expect(await backend.countRows({ ...AT, name: "accounts" })).toBe(3);
  });

  it("allows SELECT in its forms and EXPLAIN of a SELECT", async () => {
    expect(await collect(backend.query("FROM accounts SELECT count(*) AS n", AT))).toEqual([{ n: 3 }]);
    expect(await collect(backend.query("WITH x AS (SELECT 1 AS a) SELECT * FROM x;", AT))).toEqual([{ a: 1 }]);
    expect((await collect(backend.query("EXPLAIN SELECT * FROM accounts", AT))).length).toBeGreaterThan(0);
  });
});
