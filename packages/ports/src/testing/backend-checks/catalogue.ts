import { expect } from "vitest";
import { BackendCapabilities } from "../../backend.js";
import { validatePortInstance } from "../../plugin.js";
import { ACCOUNTS_TABLE, CONTRACT_TABLE, EMPTY_TABLE, EMPTY_VIEW, EUROPE_VIEW, VALUES_TABLE } from "../fixture.js";
import { collect, expectCode, settleWithin, skip, type BackendCheck } from "./support.js";

const orders = CONTRACT_TABLE.name;
const group = "catalogue, schemas and counts";

/** What the backend knows about its objects: listing, existence, schemas, counts. */
export const catalogueChecks: BackendCheck[] = [
  {
    group,
    name: "implements the port and declares consistent capabilities",
    async run(env) {
      const backend = env.backend();
      expect(() => validatePortInstance("backend", backend, "contract")).not.toThrow();
      expect(BackendCapabilities.safeParse(backend.capabilities).success).toBe(true);
    },
  },
  {
    group,
    name: "lists the fixture tables and views with their kinds",
    async run(env) {
      const objects = await env.backend().listTestObjects(env.at);
      expect(objects).toContainEqual({ name: orders, kind: "table" });
      if (env.fixtures) {
        expect(objects).toContainEqual({ name: VALUES_TABLE.name, kind: "table" });
        expect(objects).toContainEqual({ name: EUROPE_VIEW.name, kind: "view" });
      }
    },
  },
  {
    group,
    name: "exists: true for a table, false (not an error) for an unknown name",
    async run(env) {
      expect(await env.backend().exists(env.obj(orders))).toBe(true);
      expect(await env.backend().exists(env.obj("assay_contract_no_such_table"))).toBe(false);
    },
  },
  {
    group,
    name: "exists: true for a view and for an empty table",
    needs: ["fixtures"],
    async run(env) {
      expect(await env.backend().exists(env.obj(EUROPE_VIEW.name))).toBe(true);
      expect(await env.backend().exists(env.obj(EMPTY_TABLE.name))).toBe(true);
    },
  },
  {
    group,
    name: "hasRows: true for a table with rows, BACKEND_OBJECT_NOT_FOUND for an unknown object",
    async run(env) {
      expect(await env.backend().hasRows(env.obj(orders))).toBe(true);
      await expectCode(env.backend().hasRows(env.obj("assay_contract_no_such_table")), "BACKEND_OBJECT_NOT_FOUND", "hasRows(unknown)");
    },
  },
  {
    group,
    name: "hasRows: false for an empty table and an empty view, true for a view with rows",
    needs: ["fixtures"],
    async run(env) {
      expect(await env.backend().hasRows(env.obj(EMPTY_TABLE.name))).toBe(false);
      expect(await env.backend().hasRows(env.obj(EMPTY_VIEW.name))).toBe(false);
      expect(await env.backend().hasRows(env.obj(EUROPE_VIEW.name))).toBe(true);
      expect(await env.backend().countRows(env.obj(EUROPE_VIEW.name))).toBe(2);
      expect(await env.backend().countRows(env.obj(EMPTY_TABLE.name))).toBe(0);
    },
  },
  {
    group,
    name: "reports the schema with harmonised types in column order, and the primary key",
    async run(env) {
      const schema = await env.backend().getSchema(env.obj(orders));
      expect(schema.columns.map((c) => [c.name, c.type])).toEqual(CONTRACT_TABLE.columns.map((c) => [c.name, c.type]));
      for (const c of schema.columns) expect(c.rawType.length).toBeGreaterThan(0);
      if (env.backend().capabilities.primaryKeys) expect(schema.primaryKeys).toEqual([...CONTRACT_TABLE.primaryKeys]);
    },
  },
  {
    group,
    name: "harmonises every fixture type: int, bigint, decimal(38,10), double, boolean, date, timestamp, string",
    needs: ["fixtures"],
    async run(env) {
      const schema = await env.backend().getSchema(env.obj(VALUES_TABLE.name));
      expect(schema.columns.map((c) => [c.name, c.type])).toEqual(VALUES_TABLE.columns.map((c) => [c.name, c.type]));
    },
  },
  {
    group,
    name: "reports a composite primary key in constraint order, not column order",
    needs: ["fixtures"],
    async run(env) {
      const schema = await env.backend().getSchema(env.obj(ACCOUNTS_TABLE.name));
      expect(schema.columns.map((c) => c.name)).toEqual(["id", "branch", "opened"]);
      if (env.backend().capabilities.primaryKeys) expect(schema.primaryKeys).toEqual(["branch", "id"]);
      else expect(schema.primaryKeys).toBeNull();
    },
  },
  {
    group,
    name: "reports a view's columns",
    needs: ["fixtures"],
    async run(env) {
      const schema = await env.backend().getSchema(env.obj(EUROPE_VIEW.name));
      expect(schema.columns.map((c) => [c.name, c.type])).toEqual(CONTRACT_TABLE.columns.map((c) => [c.name, c.type]));
    },
  },
  {
    group,
    name: "refuses an unknown object with BACKEND_OBJECT_NOT_FOUND (getSchema, countRows)",
    async run(env) {
      const unknown = env.obj("assay_contract_no_such_table");
      await expectCode(env.backend().getSchema(unknown), "BACKEND_OBJECT_NOT_FOUND", "getSchema(unknown)");
      await expectCode(env.backend().countRows(unknown), "BACKEND_OBJECT_NOT_FOUND", "countRows(unknown)");
    },
  },
  {
    group,
    name: "counts rows, with equality filters bound as values (NULL matches IS NULL)",
    async run(env) {
      const obj = env.obj(orders);
      expect(await env.backend().countRows(obj)).toBe(4);
      expect(await env.backend().countRows(obj, [{ column: "region", value: "europe" }])).toBe(2);
      expect(await env.backend().countRows(obj, [{ column: "region", value: null }])).toBe(1);
      expect(await env.backend().countRows(obj, [{ column: "id", value: 3 }])).toBe(1);
    },
  },
  {
    group,
    name: "countRows ANDs several filters, on dates and decimals too",
    async run(env) {
      const obj = env.obj(orders);
      expect(await env.backend().countRows(obj, [{ column: "region", value: "europe" }, { column: "amount", value: "0.10" }])).toBe(1);
      expect(await env.backend().countRows(obj, [{ column: "region", value: "europe" }, { column: "id", value: 2 }])).toBe(0);
      expect(await env.backend().countRows(obj, [{ column: "ordered_on", value: "2024-01-02" }])).toBe(1);
    },
  },
  {
    group,
    name: "countRows binds injection attempts as values: they count 0 and change nothing",
    async run(env) {
      const obj = env.obj(orders);
      for (const value of ["x' OR '1'='1", "europe' --", "'; DROP TABLE assay_contract_orders; --", "europe\\' OR 1=1 --"]) {
        expect(await env.backend().countRows(obj, [{ column: "region", value }]), value).toBe(0);
      }
      expect(await env.backend().countRows(obj)).toBe(4);
    },
  },
  {
    group,
    name: "countRows refuses a filter column the object lacks, even one spelled as an injection",
    async run(env) {
      const obj = env.obj(orders);
      await expectCode(env.backend().countRows(obj, [{ column: "no_such_column", value: 1 }]), "BACKEND_QUERY", "countRows(unknown column)");
      const injected = env.backend().countRows(obj, [{ column: `region" IS NOT NULL OR "id`, value: 1 }]);
      const outcome = await injected.then((n) => n, (e: unknown) => e);
      expect(outcome, "a column name is an identifier, never SQL").not.toBe(4);
      expect(typeof outcome === "number" ? outcome : 0).toBe(0);
      expect(await env.backend().countRows(obj)).toBe(4);
    },
  },
  {
    group,
    name: "gives the schema of a query: names and harmonised types",
    needs: ["sql"],
    async run(env) {
      const columns = await env.backend().getQuerySchema(`SELECT id, amount, ordered_on, region AS label FROM ${orders}`, env.at);
      expect(columns.map((c) => [c.name, c.type])).toEqual([["id", "int"], ["amount", "decimal(12,2)"], ["ordered_on", "date"], ["label", "string"]]);
    },
  },
  {
    group,
    name: "gives the schema of a query without running it (a query that would run for minutes)",
    needs: ["sql"],
    async run(env) {
      if (!env.longQuery) return skipNoLongQuery();
      const signal = AbortSignal.timeout(env.hangBoundMs);
      const outcome = await settleWithin(env.backend().getQuerySchema(env.longQuery, env.at, { signal }), env, "getQuerySchema(long query)");
      expect(outcome.error, "getQuerySchema ran the query instead of only describing it").toBeUndefined();
      expect(outcome.value?.map((c) => c.name)).toEqual(["id"]);
    },
  },
  {
    group,
    name: "rejects a query with an error as an AssayError BACKEND_QUERY",
    needs: ["sql"],
    async run(env) {
      const message = await expectCode(collect(env.backend().query(`SELECT no_such_column FROM ${orders}`, env.at)), "BACKEND_QUERY", "query(unknown column)");
      expect(message).toContain("no_such_column");
      await expectCode(collect(env.backend().query("SELEKT 1", env.at)), "BACKEND_QUERY", "query(syntax error)");
    },
  },
];

function skipNoLongQuery(): never {
  return skip("the adapter gives no longQuery (a query that runs for minutes)");
}
