// Golden SQL: the statements the DuckDB dialect makes the kit write, pinned (no engine runs here).
import type { Row } from "@assay/ports";
import { createSqlBackend } from "@assay/sql";
import { describe, expect, it } from "vitest";
import { RecordingDriver } from "../../sql/test/recording-driver.js";
import { duckDbDialect } from "../src/index.js";

const at = { domain: "shop", stage: "test", instance: "alpha" };
const respond = (sql: string): Row[] => {
  if (sql.includes("information_schema.tables")) return [{ catalog: "shop_test", name: "orders", type: "BASE TABLE" }];
  if (sql.includes("information_schema.columns")) return [{ name: "id", type: "INTEGER" }, { name: "amount", type: "DECIMAL(12,2)" }, { name: "note", type: "VARCHAR" }];
  // One differing bucket, so that every phase of the plan is written.
  if (sql.includes("AS differing")) return [{ en: 3, an: 3, differing: 1 }];
  return [{ n: 3 }];
};
const columns = [{ name: "id", nativeType: "BIGINT" }, { name: "amount", nativeType: "DECIMAL(12,2)" }, { name: "note", nativeType: "VARCHAR" }];

function backend(driver: RecordingDriver) {
  return createSqlBackend(driver, duckDbDialect, { name: "duckdb", target: (c) => ({ database: "w.duckdb", schema: c.instance }), describe: () => "schema alpha", timeoutMs: 60_000 });
}

describe("DuckDB golden SQL", () => {
  it("COMPARE: checksum phase, rows of differing buckets kept, hash phase, verify phase, result, clean-up", async () => {
    const driver = new RecordingDriver(respond, () => columns);
    await backend(driver).compare!({ at, object: "orders", keys: ["id"], expectedSql: "SELECT * FROM src; -- mine", tolerance: { default: 0.01 }, sample: { percent: 50, seed: "s" } });
    const statements = driver.statements.filter((s) => !s.sql.includes("information_schema"));
    expect(statements.map((s) => ({ ...s, sql: s.sql.replace(/_\d+_\d+"/g, '_<id>"') }))).toMatchSnapshot();
  });

  it("scan and count", async () => {
    const driver = new RecordingDriver(respond);
    for await (const _row of backend(driver).scan!({ at, source: { kind: "object", name: "orders" }, orderBy: ["note"] })) break;
    await backend(driver).countRows({ ...at, name: "orders" }, [{ column: "note", value: "x" }]);
    expect(driver.statements.filter((s) => !s.sql.includes("information_schema"))).toEqual([
      { sql: 'SELECT * FROM "shop_test"."alpha"."orders" ORDER BY "note" ASC NULLS FIRST', params: [] },
      { sql: 'SELECT count(*) AS n FROM "shop_test"."alpha"."orders" WHERE "note" = $1', params: ["x"] },
    ]);
  });
});
