import { afterAll } from "vitest";
import { contractFixtureSql, describeBackendContract } from "@assay/ports/testing";
import { clickHouseSql, embedded, types } from "./embedded.js";

const chdb = embedded();
let ready: Promise<void> | null = null;

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
