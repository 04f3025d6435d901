import { afterAll } from "vitest";
import { contractFixtureSql, describeBackendContract, type FixtureTypeNames } from "@assay/ports/testing";
import { embedded } from "./embedded.js";

const chdb = embedded();
let ready: Promise<void> | null = null;

// Every fixture column may hold NULL, which ClickHouse allows only in Nullable types; Date32 and DateTime64 reach 1969.
const types: Partial<FixtureTypeNames> = {
  int: "Nullable(Int32)", bigint: "Nullable(Int64)", decimal: "Nullable(Decimal({p},{s}))", double: "Nullable(Float64)",
  string: "Nullable(String)", boolean: "Nullable(Bool)", date: "Nullable(Date32)", timestamp: "Nullable(DateTime64(6))",
};

/**
 * The portable DDL in ClickHouse's terms: no PRIMARY KEY constraint, a MergeTree sorted by the
 * declared key instead (its columns not Nullable, as a sort key must be), or by nothing.
 */
function clickHouseSql(sql: string): string {
  if (!sql.startsWith("CREATE TABLE")) return sql;
  const declared = /, PRIMARY KEY \(([^)]*)\)\)$/.exec(sql);
  const keys = declared ? declared[1]!.split(", ") : [];
  let ddl = declared ? `${sql.slice(0, declared.index)})` : sql;
  for (const key of keys) ddl = ddl.replace(new RegExp(`(\\(|, )${key} Nullable\\(([^,]+?)\\)(?=, |\\)$)`), "$1" + key + " $2");
  return `${ddl} ENGINE = MergeTree ORDER BY ${keys.length > 0 ? `(${keys.join(", ")})` : "tuple()"}`;
}

const loaded = async (): Promise<void> => {
  ready ??= chdb.exec(contractFixtureSql({ engine: "clickhouse", types, qualify: (name) => `{db}.${name}` }).map(clickHouseSql));
  await ready;
};

describeBackendContract("clickhouse (embedded chDB)", {
  at: chdb.at,
  engine: "clickhouse",
  types,
  create: async () => {
    await loaded();
    return chdb.backend();
  },
  createWithDeadline: async (timeoutMs) => {
    await loaded();
    return chdb.backend({ timeoutMs });
  },
  // Runs for minutes on one core until killed (an abort kills it from a second chDB connection).
  longQuery: "SELECT max(cityHash64(number)) % 1000 AS id FROM numbers(100000000000)",
});

afterAll(() => chdb.cleanup());
