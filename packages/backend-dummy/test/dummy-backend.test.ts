import { isAssayError, validatePluginModule, validatePortInstance, type Row } from "@assay/ports";
import { CONTRACT_TABLE, describeBackendContract } from "@assay/ports/testing";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DUMMY_FIXTURE } from "../src/fixture.js";
import * as pluginModule from "../src/index.js";
import plugin, { DummyBackend } from "../src/index.js";

const context = { projectRoot: process.cwd(), warn: () => undefined };
const at = { domain: "payments", stage: "test", instance: "alpha" };
const elsewhere = { domain: "any", stage: "where", instance: "at-all" };
const orders = { ...at, name: "assay_contract_orders" };

// The dummy serves CONTRACT_TABLE alone and never executes SQL: checks needing more say so and skip.
const declared = { fixtures: "contract-table", sql: false } as const;
describeBackendContract("dummy", { create: () => plugin.create({ delayMs: 0 }, context), at, ...declared });
describeBackendContract("dummy (other coordinates, with latency)", { create: () => plugin.create({ delayMs: 1 }, context), at: elsewhere, ...declared });

async function collect(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  return isAssayError(error) ? error.code : "not an AssayError";
}

describe("dummy backend", () => {
  it("matches its package manifest and declares honest capabilities", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "backend"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/backend-dummy")).toBe(plugin);
    const backend = new DummyBackend();
    expect(validatePortInstance("backend", backend, "dummy")).toBe(backend);
    expect(backend.capabilities).toEqual({
      primaryKeys: true, partitioning: false, clustering: false, compare: false, sampledCompare: false, orderedScan: true, latestLoad: false,
    });
  });

  it("serves exactly the CONTRACT_TABLE fixture", () => {
    expect(DUMMY_FIXTURE).toEqual(CONTRACT_TABLE);
  });

  it("documents its schema: raw types are the upper-cased harmonised types", async () => {
    expect(await new DummyBackend().getSchema(orders)).toEqual({
      columns: [
        { name: "id", rawType: "INT", type: "int" },
        { name: "region", rawType: "STRING", type: "string" },
        { name: "amount", rawType: "DECIMAL(12,2)", type: "decimal(12,2)" },
        { name: "ordered_on", rawType: "DATE", type: "date" },
      ],
      primaryKeys: ["id"],
      partitioning: null,
      clustering: null,
    });
  });

  it("lists only the fixture table", async () => {
    expect(await new DummyBackend().listTestObjects(elsewhere)).toEqual([{ name: "assay_contract_orders", kind: "table" }]);
  });

  it("counts with several equality filters, and refuses an unknown column", async () => {
    const b = new DummyBackend();
    expect(await b.countRows(orders, [{ column: "region", value: "europe" }, { column: "amount", value: "0.10" }])).toBe(1);
    expect(await b.countRows(orders, [{ column: "region", value: "europe" }, { column: "id", value: 2 }])).toBe(0);
    expect(await codeOf(b.countRows(orders, [{ column: "nope", value: 1 }]))).toBe("BACKEND_QUERY");
  });

  it("ignores the SQL of a query except for a plain column list", async () => {
    const b = new DummyBackend();
    const all = await collect(b.query("SELECT * FROM whatever WHERE id = 99 ORDER BY region DESC", at));
    expect(all).toEqual(CONTRACT_TABLE.rows);
    expect(await collect(b.query('select "region", id from x', at))).toEqual(CONTRACT_TABLE.rows.map((r) => ({ region: r.region, id: r.id })));
    expect(await collect(b.query("SELECT count(*) AS n FROM t", at))).toEqual(CONTRACT_TABLE.rows);
    expect(await b.getQuerySchema("SELECT amount FROM t", at)).toEqual([{ name: "amount", rawType: "DECIMAL(12,2)", type: "decimal(12,2)" }]);
    expect(await b.getQuerySchema("VALUES (1)", at)).toHaveLength(4);
    expect(await codeOf(b.getQuerySchema("SELECT nope FROM t", at))).toBe("BACKEND_QUERY");
  });

  it("scans sorted for real, NULLs first, restricted to the asked columns", async () => {
    const b = new DummyBackend();
    const byRegion = await collect(b.scan({ at, source: { kind: "object", name: "assay_contract_orders" }, orderBy: ["region", "id"], columns: ["id", "region"] }));
    expect(byRegion).toEqual([
      { id: 3, region: null },
      { id: 2, region: "asia" },
      { id: 1, region: "europe" },
      { id: 4, region: "europe" },
    ]);
    // Decimal strings sort by value ("0.10" < "10.50" < "20.00" < "30.25").
    const byAmount = await collect(b.scan({ at, source: { kind: "query", sql: "SELECT id, amount FROM t" }, orderBy: ["amount"] }));
    expect(byAmount.map((r) => r.id)).toEqual([4, 1, 2, 3]);
    expect(Object.keys(byAmount[0]!)).toEqual(["id", "amount"]);
    expect(await codeOf(collect(b.scan({ at, source: { kind: "object", name: "nope" }, orderBy: ["id"] })))).toBe("BACKEND_OBJECT_NOT_FOUND");
    expect(await codeOf(collect(b.scan({ at, source: { kind: "object", name: "assay_contract_orders" }, orderBy: ["nope"] })))).toBe("BACKEND_QUERY");
  });

  it("refuses unknown objects with BACKEND_OBJECT_NOT_FOUND", async () => {
    const b = new DummyBackend();
    expect(await codeOf(b.getSchema({ ...at, name: "raw_contract_orders" }))).toBe("BACKEND_OBJECT_NOT_FOUND");
  });

  it("waits delayMs per call and stops waiting when the signal aborts", async () => {
    const slow = await plugin.create({ delayMs: 200 }, context);
    const started = performance.now();
    await slow.listTestObjects(at);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    // Aborting ends the wait: proven by the reason (a 10-minute delay that ends as BACKEND_TIMEOUT
    // within the test's own timeout), not by a tight clock that flakes on a loaded machine.
    const stuck = await plugin.create({ delayMs: 600_000 }, context);
    const controller = new AbortController();
    const pending = codeOf(stuck.countRows(orders, [], { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toBe("BACKEND_TIMEOUT");
    expect(await codeOf(slow.countRows(orders, [], { signal: AbortSignal.abort() }))).toBe("BACKEND_TIMEOUT");
    expect(await codeOf(collect(new DummyBackend().query("SELECT 1", at, { signal: AbortSignal.abort() })))).toBe("BACKEND_TIMEOUT");
  });

  it("refuses calls after close, and closes idempotently", async () => {
    const b = new DummyBackend();
    await b.close();
    await b.close();
    expect(await codeOf(b.countRows(orders))).toBe("BACKEND_CLOSED");
  });

  it("validates its options strictly", async () => {
    const check = async (value: unknown) => (await plugin.optionsSchema["~standard"].validate(value)).issues === undefined;
    expect(await check({})).toBe(true);
    expect(await check({ delayMs: 5 })).toBe(true);
    expect(await check({ delayMs: -1 })).toBe(false);
    expect(await check({ delayMs: 1.5 })).toBe(false);
    expect(await check({ delay: 5 })).toBe(false);
  });
});
