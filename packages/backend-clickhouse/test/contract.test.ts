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
  knownDefects: {
    "serves two streams read in lockstep, each complete and in order":
      "embedded chDB has one connection per data directory and sessions take turns (EmbeddedTransport.lock), so a second stream waits for the first to finish: read in lockstep they deadlock",
  },
  // No longQuery: embedded chDB does not stop a running query when its signal aborts (with
  // `SELECT max(cityHash64(number)) % 1000 AS id FROM numbers(100000000000)` the abort checks
  // hang to their bound), so the abort-while-running and deadline checks skip here. A defect of
  // the embedded transport, to fix; the server transport cancels through its HTTP request.
});

afterAll(() => chdb.cleanup());
