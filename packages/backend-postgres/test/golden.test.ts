// Golden SQL: the statements the PostgreSQL dialect makes the kit write, pinned (no server needed).
import type { Row } from "@assay/ports";
import { createSqlBackend } from "@assay/sql";
import { describe, expect, it } from "vitest";
import { RecordingDriver } from "../../sql/test/recording-driver.js";
import { postgresDialect } from "../src/index.js";

const at = { domain: "shop", stage: "test", instance: "alpha" };
const respond = (sql: string): Row[] => {
  if (sql.includes("c.relname = $2")) return [{ oid: 42, kind: "r" }];
  if (sql.includes("format_type(atttypid")) return [{ name: "id", raw: "integer" }, { name: "amount", raw: "numeric(12,2)" }, { name: "note", raw: "character varying(20)" }];
  if (sql.includes("attnotnull")) return [{ name: "id" }];
  if (sql.includes("indisprimary")) return [{ primary: true, columns: "id" }];
  return [{ n: 3 }];
};
const columns = [{ name: "id", nativeType: "bigint" }, { name: "amount", nativeType: "numeric" }, { name: "note", nativeType: "text" }];

function backend(driver: RecordingDriver) {
  return createSqlBackend(driver, postgresDialect, { name: "postgres", target: (c) => ({ database: "db", schema: c.instance }), describe: () => "schema alpha", timeoutMs: 60_000 });
}

describe("PostgreSQL golden SQL", () => {
  it("COMPARE: one statement, gated by the repeated-keys check", async () => {
    const driver = new RecordingDriver(respond, () => columns);
    await backend(driver).compare!({ at, object: "orders", keys: ["id"], expectedSql: "SELECT * FROM src; -- mine", tolerance: { default: 0.01 }, sample: { percent: 50, seed: "s" } });
    expect(driver.statements.at(-1)).toMatchSnapshot();
  });

  it("COMPARE: the checksum pass (probe, then both sides' checksums) ends identical sides", async () => {
    const identical = (sql: string): Row[] => (sql.includes("server_version_num") ? [{ xor: true }] : sql.includes("AS same") ? [{ same: true, rows: "3" }] : respond(sql));
    const driver = new RecordingDriver(identical, () => columns);
    const result = await backend(driver).compare!({ at, object: "orders", keys: ["id"], expectedSql: "SELECT * FROM src", sample: { percent: 50, seed: "s" } });
    expect(result).toMatchObject({ expectedRows: 3, actualRows: 3, matchedRows: 3, mismatchedRows: 0, diff: [] });
    expect(driver.statements.filter((s) => s.sql.includes("AS same"))).toMatchSnapshot();
  });

  it("scan (COLLATE \"C\" on text), count and query", async () => {
    const driver = new RecordingDriver(respond);
    for await (const _row of backend(driver).scan!({ at, source: { kind: "object", name: "orders" }, orderBy: ["note", "id"] })) break;
    await backend(driver).countRows({ ...at, name: "orders" }, [{ column: "note", value: "x" }]);
    for await (const _row of backend(driver).query("SELECT 1; -- done", at)) break;
    expect(driver.statements.filter((s) => !s.sql.includes("pg_catalog"))).toEqual([
      { sql: 'SELECT * FROM "alpha"."orders" ORDER BY "note" COLLATE "C" ASC NULLS FIRST, "id" ASC NULLS FIRST', params: [] },
      { sql: 'SELECT count(*) AS n FROM "alpha"."orders" WHERE "note" = $1', params: ["x"] },
      { sql: "SELECT * FROM (\nSELECT 1 -- done\n) AS assay_q", params: [] },
    ]);
  });
});
