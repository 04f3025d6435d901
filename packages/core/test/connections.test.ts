import { describe, expect, it } from "vitest";
import type { ConfigError} from "@assay/ports";
import { isAssayError, type Backend } from "@assay/ports";
import { DummyBackend } from "@assay/backend-dummy";
import { checkSpecConnections, Connections } from "../src/runner/connections.js";
import { runTestSet } from "../src/runner/run-test-set.js";
import { parseSqlSpec } from "../src/specs/parse-sql.js";
import { makeConfig } from "./support/config.js";
import { col, FakeBackend } from "./support/fake-backend.js";
import { runOne, testSet } from "./support/run-one.js";
import { memoryStore } from "./support/stores.js";

const origin = { object: "orders", scenario: null, path: "specs/orders.compare.sql" };

async function paragraph(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    return (error as ConfigError).toParagraph();
  }
  throw new Error("expected an error");
}

describe("the compare spec header `-- assay: connection=<name>`", () => {
  it("names the connection the expected query runs on, and leaves the SQL as written", () => {
    const spec = parseSqlSpec("compare", Buffer.from("-- assay: connection=legacy\nSELECT * FROM orders;\n"), origin);
    expect(spec).toMatchObject({ connection: "legacy", sql: "-- assay: connection=legacy\nSELECT * FROM orders" });
  });

  it("is read on the first line only; other comments are comments", () => {
    expect(parseSqlSpec("compare", Buffer.from("-- orders as legacy has them\n-- assay: connection=legacy\nSELECT 1 AS id"), origin).connection).toBeUndefined();
  });

  it("refuses an unknown setting, naming the file, line 1 and the settings it knows", async () => {
    const message = await paragraph(() => parseSqlSpec("compare", Buffer.from("-- assay: conection=legacy\nSELECT 1 AS id"), origin));
    expect(message).toMatch(/^specs\/orders.compare.sql:1: The spec header "-- assay: conection=legacy" has "conection=legacy", which assay does not know/);
    expect(message).toContain("connection");
  });

  it("refuses a connection in a rowcount spec: only a compare spec's query runs elsewhere", async () => {
    const message = await paragraph(() => parseSqlSpec("rowcount", Buffer.from("-- assay: connection=legacy\nSELECT 1"), { ...origin, path: "specs/orders.rowcount.sql" }));
    expect(message).toMatch(/^specs\/orders.rowcount.sql:1: A rowcount spec cannot name a connection/);
  });
});

describe("connections of a run", () => {
  const spec = (connection: string) => ({ ...parseSqlSpec("compare", Buffer.from(`-- assay: connection=${connection}\nSELECT 1 AS id`), origin) });

  it("refuses a spec naming an undeclared connection with the spec file, its line and the declared names", async () => {
    const message = await paragraph(() => checkSpecConnections([spec("legacyy")], ["legacy", "replica"]));
    expect(message).toBe(
      'specs/orders.compare.sql:1: The compare spec names connection "legacyy", which assay.config.yaml does not declare. Expected one of the declared connections: legacy, replica. ' +
        'Declare "legacyy" under connections: (use: <backend>, options: {...}), or correct the name in the spec\'s first line (-- assay: connection=<name>). [SPEC_INVALID]',
    );
  });

  it("runs nothing when a test case's spec names an undeclared connection", async () => {
    const { store, storage } = memoryStore();
    let created = 0;
    const run = runTestSet({
      config: makeConfig(), store, notifiers: [], specs: [spec("legacy")],
      testSet: testSet([{ object: "orders", type: "compare" }]),
      backend: async () => {
        created++;
        return new DummyBackend();
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(isAssayError(error) && error.code).toBe("SPEC_INVALID");
    expect(created).toBe(0);
    expect(await storage.list("")).toEqual([]);
  });

  it("creates a connection on first use, once however many test cases ask at the same time, and closes it at the end", async () => {
    const made: string[] = [];
    const closed: string[] = [];
    const connections = new Connections(async (name) => {
      made.push(name);
      const backend = new DummyBackend();
      return Object.assign(backend, { close: async () => void closed.push(name) });
    }, ["legacy", "replica"], 1_000);
    expect(made).toEqual([]);
    const [a, b] = await Promise.all([connections.get("legacy"), connections.get("legacy")]);
    expect(made).toEqual(["legacy"]);
    expect(a).toBe(b);
    expect(await connections.close()).toEqual([]);
    expect(closed).toEqual(["legacy"]);
  });

  it("bounds creating a connection by the call deadline, naming it, and fails every later use the same way", async () => {
    const connections = new Connections(() => new Promise<Backend>(() => undefined), ["legacy"], 100);
    const first = await connections.get("legacy").catch((e: unknown) => e);
    expect(isAssayError(first) && [first.code, first.message]).toEqual(["PLUGIN_TIMEOUT", 'The connection "legacy" (creating it) did not answer within 100 ms']);
    expect(await connections.get("legacy").catch((e: unknown) => e)).toBe(first);
    expect(await connections.close()).toEqual([]);
  });
});

describe("COMPARE with the expected query on a connection", () => {
  const columns = [col("id", "int"), col("v", "decimal(12,2)")];
  const SQL = "-- assay: connection=legacy\nSELECT id, v FROM orders";
  const files = { "orders.compare.sql": SQL, "orders.schema.yaml": "columns:\n  - { name: id, pk: true }\n" };

  it("runs the query on the connection and the object on the domain's backend, merging their scans when a side has no checksums", async () => {
    // The domain's backend knows no query (it would refuse one) and compares nothing in the engine.
    const domain = new FakeBackend({ compare: false }).table("orders", { columns, rows: [{ id: 1, v: "1.00" }, { id: 2, v: "2.00" }, { id: 4, v: "4.00" }], primaryKeys: ["id"] });
    const legacy = new FakeBackend().answer("-- assay: connection=legacy\nSELECT id, v FROM orders", columns, [{ id: 1, v: "1.00" }, { id: 2, v: "2.50" }, { id: 3, v: "3.00" }]);
    let created = 0;
    const { result } = await runOne(domain, { object: "orders", type: "compare" }, files, {
      config: { connections: { legacy: { use: "fake", options: {} } } },
      run: { connections: async () => (created++, legacy) },
    });
    expect([result.result, result.summary]).toEqual(["NOK", "3 rows differ (3 expected, 3 actual): 1 missing, 1 extra, 1 mismatched (v 1)."]);
    expect(result.facts).toContainEqual({ name: "Method", value: "merge of key-ordered scans" });
    expect(result.facts).toContainEqual({ name: "Connection of the compare SQL", value: "legacy" });
    expect([created, legacy.closed, domain.calls.some((c) => c.method === "getQuerySchema")]).toEqual([1, 1, false]);
  });

  it("is N/A, naming the capabilities, when neither side can scan nor checksum", async () => {
    const domain = new FakeBackend({ compare: false, orderedScan: false }).table("orders", { columns, rows: [{ id: 1, v: "1.00" }], primaryKeys: ["id"] });
    const legacy = new FakeBackend({ orderedScan: false }).answer("-- assay: connection=legacy\nSELECT id, v FROM orders", columns, [{ id: 1, v: "1.00" }]);
    const { result } = await runOne(domain, { object: "orders", type: "compare" }, files, {
      config: { connections: { legacy: { use: "fake", options: {} } } },
      run: { connections: async () => legacy },
    });
    expect(result.result).toBe("N/A");
    expect(result.summary).toContain("checksum or orderedScan on both sides (the connection legacy uses fake)");
  });
});
