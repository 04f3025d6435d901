import { describe, expect, it } from "vitest";
import type { ConfigError} from "@assay/ports";
import { isAssayError, type Backend } from "@assay/ports";
import { DummyBackend } from "@assay/backend-dummy";
import { checkSpecConnections, Connections } from "../src/runner/connections.js";
import { runTestSet } from "../src/runner/run-test-set.js";
import { parseSqlSpec } from "../src/specs/parse-sql.js";
import { makeConfig } from "./support/config.js";
import { testSet } from "./support/run-one.js";
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
