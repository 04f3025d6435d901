import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksumCompare, mergeCompare } from "@assay/core";
import type { Backend, PluginContext, Row } from "@assay/ports";
import { contractFixtureSql, describeCrossEngineCompare, TEXT_KEYS_TABLE, VALUES_TABLE, type CrossCompare, type CrossEngine } from "@assay/ports/testing";
import { createDuckDbBackend } from "@assay/backend-duckdb";
import { createPostgresBackend, PostgresOptions } from "@assay/backend-postgres";
import { NO_SERVER as NO_MARIADB, scratchDatabase, type Scratch } from "../../../packages/backend-mariadb/test/server.js";
import { clickHouseSql, embedded, types as CLICKHOUSE_TYPES } from "../../../packages/backend-clickhouse/test/embedded.js";
import { PSQL } from "./postgres.js";

/**
 * Issue 11: every COMPARE case of the contract with the expected query on one engine and the
 * test object on another gives the in-engine COMPARE's counts. DuckDB against DuckDB (two
 * separate database files) always; PostgreSQL when ASSAY_PG_URL is set.
 */
const PG_URL = process.env.ASSAY_PG_URL ?? "";
const PG_SKIP: string | false = !PG_URL ? "ASSAY_PG_URL is not set" : !PSQL ? "psql is not installed (it loads the fixtures)" : false;
const AT = { domain: "xdb", stage: "test", instance: "alpha" };
const context = (root: string): PluginContext => ({ projectRoot: root, warn: () => undefined });
const roots: string[] = [];
const pgSchema = `assay_xdb_${randomBytes(4).toString("hex")}`;
let mariadb: Scratch | undefined;
const chdb = embedded("xdb");
let chdbLoaded: Promise<void> | undefined;
const mariadbInstance = `xdb_${randomBytes(4).toString("hex")}`;
// As the MariaDB contract test loads them: lengths on VARCHAR, DATETIME(6), CAST's own type names, binary text.
const MARIADB_TYPES = { string: "VARCHAR(255)", double: "DOUBLE", timestamp: "DATETIME(6)" };
const MARIADB_CASTS = { bigint: "SIGNED", boolean: "SIGNED", string: "CHAR", double: "DOUBLE" };

async function drain(rows: AsyncIterable<Row>): Promise<void> {
  for await (const _ of rows) void _;
}

const loaded = new Map<string, Promise<void>>();

/** A DuckDB database file of its own holding every contract fixture (loaded once), opened read-only. */
async function duckdbEngine(root: string): Promise<Backend> {
  if (!loaded.has(root)) loaded.set(root, loadDuckdb(root));
  await loaded.get(root);
  return createDuckDbBackend({ database: "xdb.duckdb" }, context(root));
}

async function loadDuckdb(root: string): Promise<void> {
  const writable = await createDuckDbBackend({ database: "xdb.duckdb", schema: "main", readOnly: false }, context(root));
  try {
    await drain(writable.query("CREATE SCHEMA alpha", AT));
    for (const statement of contractFixtureSql({ engine: "duckdb", qualify: (name) => `alpha.${name}` })) await drain(writable.query(statement, AT));
  } finally {
    await writable.close();
  }
}

beforeAll(async () => {
  for (let i = 0; i < 2; i++) roots.push(await mkdtemp(path.join(os.tmpdir(), "assay-xdb-")));
  if (!PG_SKIP) {
    // The fixtures are too long for one command line: psql reads them from a file.
    const file = path.join(roots[0]!, "fixtures.sql");
    await writeFile(file, [`CREATE SCHEMA ${pgSchema}`, `SET search_path TO ${pgSchema}`, ...contractFixtureSql({ engine: "postgres" })].join(";\n") + ";\n");
    await promisify(execFile)(PSQL!, [PG_URL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file], { timeout: 60_000 });
  }
  if (!NO_MARIADB) {
    mariadb = await scratchDatabase(mariadbInstance);
    await mariadb.exec("SET sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')");
    for (const statement of contractFixtureSql({ engine: "mariadb", types: MARIADB_TYPES, castTypes: MARIADB_CASTS, textCollation: "utf8mb4_bin" })) {
      await mariadb.exec(statement.replace(/(?<=[(, ])dec(?=[ ,)])/g, '"dec"'));
    }
  }
});

afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
  if (!PG_SKIP) await promisify(execFile)(PSQL!, [PG_URL, "-X", "-q", "-c", `DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`], { timeout: 60_000 });
  await mariadb?.drop();
  await chdb.cleanup();
});

/** Core's cross-engine COMPARE as the compare test type picks it: checksums when both sides have them, else the merge of two scans. */
const crossCompare: CrossCompare = async (expected, actual, request) => {
  const types = Object.fromEntries((await expected.backend.getQuerySchema(request.expectedSql, expected.at)).map((c) => [c.name, c.type]));
  if (expected.backend.capabilities.checksum && actual.backend.capabilities.checksum) {
    return (await checksumCompare(expected, actual, request, { types, leafRows: 2, firstBits: 1 })).result;
  }
  const scan = (side: typeof expected) => side.backend.scan!({ at: side.at, source: side.source, orderBy: request.keys, columns: [...request.keys, ...(request.columns ?? [])] });
  return mergeCompare(scan(expected), scan(actual), request, { types });
};

const engines: CrossEngine[] = [
  { name: "duckdb", engine: "duckdb", at: AT, create: () => duckdbEngine(roots[0]!) },
  { name: "duckdb (a second database)", engine: "duckdb", at: AT, create: () => duckdbEngine(roots[1]!) },
  {
    name: "postgres", engine: "postgres", at: { ...AT, instance: pgSchema }, skip: PG_SKIP,
    create: () => Promise.resolve(createPostgresBackend(PostgresOptions.parse({ url: PG_URL }))),
  },
  {
    name: "clickhouse (embedded chDB)", engine: "clickhouse", at: chdb.at,
    create: async () => {
      await (chdbLoaded ??= chdb.exec(contractFixtureSql({ engine: "clickhouse", types: CLICKHOUSE_TYPES, qualify: (name) => `{db}.${name}` }).map(clickHouseSql)));
      return chdb.backend();
    },
  },
  { name: "mariadb", engine: "mariadb", at: { domain: "payments", stage: "test", instance: mariadbInstance }, skip: NO_MARIADB, create: () => mariadb!.backend() },
];

describeCrossEngineCompare("cross-engine COMPARE, bisected to single rows", engines, crossCompare);
describeCrossEngineCompare("cross-engine COMPARE, default segments", engines, async (expected, actual, request) => {
  const types = Object.fromEntries((await expected.backend.getQuerySchema(request.expectedSql, expected.at)).map((c) => [c.name, c.type]));
  return (await checksumCompare(expected, actual, request, { types })).result;
});

/** Rows of VALUES_TABLE an engine's float text makes differ from DuckDB's (re-read, never a wrong answer). */
const reread = (engine: CrossEngine): number => (engine.engine === "mariadb" || engine.engine === "clickhouse" ? 2 : 0);

/** The canonical encoding gives the same bytes on both engines: identical rows of every value form match by checksums alone. */
for (const other of engines.slice(1)) {
  describe.skipIf(Boolean(other.skip))(`checksums agree between duckdb and ${other.name}${other.skip ? ` (skipped: ${other.skip})` : ""}`, () => {
    const sides = async (expectedSql: string, object: string) => {
      const [left, right] = await Promise.all([engines[0]!.create(), other.create()]);
      const types = Object.fromEntries((await left.getQuerySchema(expectedSql, AT)).map((c) => [c.name, c.type]));
      return { left, right, types, expected: { backend: left, at: AT, source: { kind: "query" as const, sql: expectedSql } }, actual: { backend: right, at: other.at, source: { kind: "object" as const, name: object } } };
    };
    const request = (expectedSql: string, object: string, keys: string[]) => ({ at: other.at, expectedSql, object, keys, maxDiffRows: 100 });
    /** Runs `work` with both sides open (expectedSql on duckdb, `object` on the other engine), closing them after. */
    const withSides = async (expectedSql: string, object: string, work: (s: Awaited<ReturnType<typeof sides>>) => Promise<void>): Promise<void> => {
      const s = await sides(expectedSql, object);
      try {
        await work(s);
      } finally {
        await Promise.all([s.left.close(), s.right.close()]);
      }
    };

    it("matches decimals beyond double precision, integers beyond 2^53, doubles, booleans, dates, timestamps and text without reading a row", async () => {
      const sql = `SELECT * FROM ${VALUES_TABLE.name}`;
      await withSides(sql, VALUES_TABLE.name, async (s) => {
        // 2^16 segments: each row its own, so a re-read row brings no neighbour.
        const { result, stats } = await checksumCompare(s.expected, s.actual, request(sql, VALUES_TABLE.name, ["id"]), { types: s.types, firstBits: 16 });
        expect([result.matchedRows, result.expectedRows, result.actualRows]).toEqual([6, 6, 6]);
        // MariaDB and ClickHouse print the double 1e21 as `1e21`, DuckDB as `1e+21`: that row is read and found equal (2 rows, one a side).
        expect(stats.rows).toBe(reread(other));
      });
    });

    it("matches text keys (case, accents, empty, NULL) by code point, not by a collation, without reading a row", async () => {
      const sql = `SELECT * FROM ${TEXT_KEYS_TABLE.name}`;
      await withSides(sql, TEXT_KEYS_TABLE.name, async (s) => {
        const { result, stats } = await checksumCompare(s.expected, s.actual, request(sql, TEXT_KEYS_TABLE.name, ["k"]), { types: s.types, firstBits: 2, leafRows: 1 });
        expect([result.matchedRows, result.missingRows, result.extraRows]).toEqual([TEXT_KEYS_TABLE.rows.length, 0, 0]);
        expect(stats.rows).toBe(0);
      });
    });

    // MariaDB stores neither NaN nor the infinities.
    it.runIf(other.engine !== "mariadb")("matches NaN, the infinities, -0 against 0 and the largest doubles, with and without a tolerance, by checksums", async () => {
      const table = "assay_contract_case_special_floats_actual";
      const sql = `SELECT id, CASE WHEN id = 4 THEN CAST(0 AS DOUBLE) ELSE x END AS x FROM ${table}`;
      await withSides(sql, table, async (s) => {
        for (const tolerance of [0, 0.5]) {
          const { result, stats } = await checksumCompare(s.expected, s.actual, { ...request(sql, table, ["id"]), tolerance: { default: tolerance, columns: {} } }, { types: s.types, firstBits: 16 });
          // ClickHouse prints the largest double as `…e308`, DuckDB as `…e+308`: that row is read and found equal.
          expect([result.matchedRows, result.expectedRows, result.actualRows, stats.rows]).toEqual([9, 9, 9, reread(other)]);
        }
      });
    });

    it("meets a DATE and a TIMESTAMP at midnight, and a DECIMAL and a DOUBLE as doubles, by checksums: only the differing rows are read, and shown as each side holds them", async () => {
      const dates = `SELECT * FROM assay_contract_case_date_timestamp_expected`;
      await withSides(dates, "assay_contract_case_date_timestamp_actual", async (s) => {
        const { result, stats } = await checksumCompare(s.expected, s.actual, request(dates, "assay_contract_case_date_timestamp_actual", ["id"]), { types: s.types, firstBits: 16 });
        expect([result.matchedRows, result.mismatchedRows, stats.rows]).toEqual([1, 2, 4]);
        expect(result.diff[0]).toMatchObject({ key: { id: 2 }, expected: { t: "2024-01-02" }, actual: { t: "2024-01-02T00:00:01" } });
      });
      const decimals = `SELECT * FROM assay_contract_case_double_decimal_expected`;
      await withSides(decimals, "assay_contract_case_double_decimal_actual", async (s) => {
        const { result, stats } = await checksumCompare(s.expected, s.actual, request(decimals, "assay_contract_case_double_decimal_actual", ["id"]), { types: s.types, firstBits: 16 });
        expect([result.matchedRows, result.mismatchedRows, stats.rows]).toEqual([3, 1, 2]);
        expect(result.diff[0]).toMatchObject({ key: { id: 3 }, expected: { x: "1.00000000000000000000" }, actual: { x: 1.0000000000000002 } });
      });
    });

    // The TIMESTAMP view of the TIMESTAMPTZ policy exists on DuckDB and PostgreSQL only.
    it.runIf(other.engine === "postgres" || other.engine === "duckdb")("meets a TIMESTAMPTZ and a TIMESTAMP (read as UTC) as instants by checksums, the diff showing each side's own value", async () => {
      const sql = "SELECT 1 AS id, CAST('2024-01-01 10:00:00+00' AS TIMESTAMPTZ) AS t UNION ALL SELECT 2, CAST('2024-01-01 10:00:00+01' AS TIMESTAMPTZ)";
      await withSides(sql, "assay_contract_policy_timestamptz", async (s) => {
        const { result, stats } = await checksumCompare(s.expected, s.actual, request(sql, "assay_contract_policy_timestamptz", ["id"]), { types: s.types, firstBits: 16 });
        expect([result.matchedRows, result.mismatchedRows, stats.rows]).toEqual([1, 1, 2]);
        expect(result.diff[0]).toMatchObject({ key: { id: 2 }, expected: { t: "2024-01-01T09:00:00Z" }, actual: { t: "2024-01-01T10:00:00" } });
      });
    });

    /** The row of `id` as the engine's query() gives it: the form the diff must show. */
    const rowOf = async (backend: Backend, sql: string, at: typeof AT, id: number): Promise<Row> => {
      for await (const row of backend.query(sql, at)) if (Number(row.id) === id) return row;
      throw new Error(`no row ${id}`);
    };

    it("reads only the rows of the differing segments and reports the one changed value exactly, as each engine gives it", async () => {
      const sql = `SELECT id, dec, big, dbl, flag, day, ts, CASE WHEN id = 4 THEN txt || '!' ELSE txt END AS txt FROM ${VALUES_TABLE.name}`;
      await withSides(sql, VALUES_TABLE.name, async (s) => {
        const { result, stats } = await checksumCompare(s.expected, s.actual, request(sql, VALUES_TABLE.name, ["id"]), { types: s.types, firstBits: 8, leafRows: 4 });
        expect([result.matchedRows, result.mismatchedRows]).toEqual([5, 1]);
        expect(result.diff).toEqual([{
          kind: "mismatch", key: { id: 4 }, columns: ["txt"],
          expected: await rowOf(s.left, sql, AT, 4),
          actual: await rowOf(s.right, `SELECT * FROM ${VALUES_TABLE.name}`, other.at, 4),
        }]);
        expect(result.diff[0]!.expected).toMatchObject({ id: 4, dec: "9999999999999999999999999999.9999999999", flag: false, day: "2024-12-31", txt: "日本!" });
        expect(result.diff[0]!.actual).toMatchObject({ id: 4, flag: false, day: "2024-12-31", txt: "日本" });
        expect(stats.rows).toBe(2 + reread(other));
      });
    });

    it("shows a changed decimal, boolean, date and text with both sides' own values, the first maxDiffRows in key order across segments", async () => {
      // Key hashes (md5 of "1".."4"): c4ca…, c81e…, eccb…, a87f…: at 8 bits four segments, read in
      // the order 4, 1, 2, 3; the diff must still start at key 1 and stop after key 3.
      const sql = `SELECT id, CASE WHEN id = 1 THEN dec + 1 ELSE dec END AS dec, big, dbl, CASE WHEN id = 2 THEN NOT flag ELSE flag END AS flag,
        CASE WHEN id = 3 THEN DATE '2000-01-02' ELSE day END AS day, ts, CASE WHEN id = 4 THEN txt || '!' ELSE txt END AS txt FROM ${VALUES_TABLE.name}`;
      await withSides(sql, VALUES_TABLE.name, async (s) => {
        const { result } = await checksumCompare(s.expected, s.actual, { ...request(sql, VALUES_TABLE.name, ["id"]), maxDiffRows: 3 }, { types: s.types, firstBits: 8, leafRows: 4 });
        expect([result.matchedRows, result.mismatchedRows, result.truncated]).toEqual([2, 4, true]);
        expect(result.diff.map((d) => [d.key, d.columns])).toEqual([[{ id: 1 }, ["dec"]], [{ id: 2 }, ["flag"]], [{ id: 3 }, ["day"]]]);
        for (const [i, id] of [1, 2, 3].entries()) {
          expect(result.diff[i]!.expected).toEqual(await rowOf(s.left, sql, AT, id));
          expect(result.diff[i]!.actual).toEqual(await rowOf(s.right, `SELECT * FROM ${VALUES_TABLE.name}`, other.at, id));
        }
        const [dec, flag, day] = result.diff;
        expect([dec!.expected!.dec, flag!.expected!.flag, flag!.actual!.flag, day!.expected!.day, day!.actual!.day]).toEqual(["1234567890123456789012345679.1234567890", true, false, "2000-01-02", "2000-01-01"]);
        expect(String(dec!.actual!.dec)).toMatch(/^1234567890123456789012345678\.123456789/);
      });
    });
  });
}
