import { afterAll } from "vitest";
import { contractTableSql, describeBackendContract } from "@assay/ports/testing";
import { embedded } from "./embedded.js";

const chdb = embedded();
let ready: Promise<void> | null = null;

// The portable DDL in ClickHouse's terms: a MergeTree engine, and a Nullable region (the fixture holds a NULL).
const clickHouseSql = (sql: string): string =>
  sql.startsWith("CREATE TABLE") ? `${sql.replace("region VARCHAR", "region Nullable(String)").replace(" PRIMARY KEY", "")} ENGINE = MergeTree ORDER BY id` : sql;

describeBackendContract("clickhouse (embedded chDB)", {
  at: chdb.at,
  create: async () => {
    ready ??= chdb.exec(contractTableSql("{db}.assay_contract_orders").map(clickHouseSql));
    await ready;
    return chdb.backend();
  },
});

afterAll(() => chdb.cleanup());
