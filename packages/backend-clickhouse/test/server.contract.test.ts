import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { createClient, type ClickHouseClient } from "@clickhouse/client";
import { contractTableSql, describeBackendContract } from "@assay/ports/testing";
import plugin from "../src/index.js";
import { ClickHouseOptions } from "../src/options.js";

const URL = process.env.ASSAY_CLICKHOUSE_URL;
const instance = `c_${randomBytes(5).toString("hex")}`;
const at = { domain: "payments", stage: "test", instance };
const database = `payments_test_${instance}`;
let admin: ClickHouseClient | undefined;

const clickHouseSql = (sql: string): string =>
  sql.startsWith("CREATE TABLE") ? `${sql.replace("region VARCHAR", "region Nullable(String)").replace(" PRIMARY KEY", "")} ENGINE = MergeTree ORDER BY id` : sql;

beforeAll(async () => {
  if (!URL) return;
  admin = createClient({ url: URL });
  await admin.command({ query: `CREATE DATABASE ${database}` });
  for (const sql of contractTableSql(`${database}.assay_contract_orders`)) await admin.command({ query: clickHouseSql(sql) });
});
afterAll(async () => {
  await admin?.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await admin?.close();
});

describeBackendContract("clickhouse (server)", {
  at,
  create: () => plugin.create(ClickHouseOptions.parse({ url: URL }), { projectRoot: process.cwd(), warn: () => undefined }),
  skip: URL ? false : "ASSAY_CLICKHOUSE_URL is not set",
});
