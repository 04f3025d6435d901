import { describe, expect, it } from "vitest";
import { BackendError } from "@assay/ports";
import { DummyBackend, DUMMY_TABLE } from "@assay/backend-dummy";
import { col, FakeBackend } from "./support/fake-backend.js";
import { runOne } from "./support/run-one.js";

const accounts = () =>
  new FakeBackend().table("stage_accounts", {
    columns: [col("ID", "int"), col("amount", "decimal(12,2)"), col("loaded_at", "timestamp")],
    rows: [{ ID: 1 }, { ID: 2 }],
    primaryKeys: ["ID"],
    partitioning: ["load_date"],
  });
const schemaYaml = (extra = "") =>
  `columns:\n  - { name: id, type: INTEGER, pk: true }\n  - { name: amount, type: 'DECIMAL(12,2)' }\n  - { name: loaded_at, type: TIMESTAMP }\n${extra}`;
const schemaCase = { object: "stage_accounts", type: "SCHEMA" };

describe("SCHEMA", () => {
  it("is OK when harmonised types and names match case-insensitively", async () => {
    const { result } = await runOne(accounts(), schemaCase, { "stage_accounts.schema.yaml": schemaYaml("partitioning: [LOAD_DATE]\n") });
    expect(result).toMatchObject({ result: "OK", status: "FINISHED", summary: "Schema matches the spec: columns OK; primary keys OK; partitioning OK." });
    expect(result.specs).toEqual(["specs/payments/test/stage_accounts.schema.yaml"]);
    expect(result.details.some((d) => d.name === "Duration of get schema (ms)")).toBe(true);
    expect((result.diff.column_diff as unknown[]).length).toBe(3);
  });

  it("is NOK for missing, extra and mistyped columns, and names them", async () => {
    const spec = "columns:\n  - { name: id, type: bigint, pk: true }\n  - { name: amount, type: 'decimal(10,2)' }\n  - { name: region, type: string }\n";
    const { result } = await runOne(accounts(), schemaCase, { "stage_accounts.schema.yaml": spec });
    expect(result.result).toBe("NOK");
    expect(result.summary).toBe(
      "Schema deviates from the spec: columns NOK (1 missing: region; 1 extra: loaded_at; 2 type mismatch: id bigint ≠ int, amount decimal(10,2) ≠ decimal(12,2)); primary keys OK.",
    );
  });

  it("compares only the types in compareTypes", async () => {
    const spec = "columns:\n  - { name: id, type: bigint }\n  - { name: amount, type: 'decimal(10,2)' }\n  - { name: loaded_at, type: date }\n";
    const { result } = await runOne(accounts(), schemaCase, { "stage_accounts.schema.yaml": spec }, { domain: { schema: { compareTypes: ["DECIMAL"], requireDeclaredKeys: false } } });
    expect(result.summary).toBe("Schema deviates from the spec: columns NOK (1 type mismatch: amount decimal(10,2) ≠ decimal(12,2)).");
  });

  it("compares keys and partitioning only where the backend reports them and the spec names them", async () => {
    const backend = accounts();
    backend.capabilities = { ...backend.capabilities, primaryKeys: false, partitioning: true };
    const { result } = await runOne(backend, schemaCase, { "stage_accounts.schema.yaml": schemaYaml("partitioning: [other]\n") });
    expect(result.summary).toBe("Schema deviates from the spec: columns OK; partitioning NOK (expected other, found load_date).");
    expect(result.diff.partitioning_diff).toEqual({ expected: ["other"], actual: ["load_date"] });
    expect(result.diff.pk_diff).toBeUndefined();
  });

  describe("primary keys", () => {
    const withKey = (primaryKeys: string[]) => {
      const backend = accounts();
      backend.tables.get("stage_accounts")!.primaryKeys = primaryKeys;
      return backend;
    };
    const strict = { domain: { schema: { requireDeclaredKeys: true } } };
    const files = (pk: string) => ({ "stage_accounts.schema.yaml": `primaryKeys: [${pk}]\n${schemaYaml().replace(", pk: true", "")}` });

    it("passes a table that declares no key, with a fact, and fails it under requireDeclaredKeys", async () => {
      const lax = (await runOne(withKey([]), schemaCase, files("id"))).result;
      expect(lax).toMatchObject({ result: "OK", summary: "Schema matches the spec: columns OK; no primary key declared." });
      expect(lax.facts).toContainEqual({ name: "Primary keys", value: "none declared by the table; the spec's key (id) is not checked" });
      expect(lax.diff.pk_diff).toEqual({ expected: ["id"], actual: [] });
      const required = (await runOne(withKey([]), schemaCase, files("id"), strict)).result;
      expect(required).toMatchObject({ result: "NOK", summary: "Schema deviates from the spec: columns OK; primary keys NOK (expected id, found none)." });
    });

    it("compares a declared key with the spec's, with or without requireDeclaredKeys", async () => {
      for (const options of [{}, strict]) {
        expect((await runOne(withKey(["ID"]), schemaCase, files("id"), options)).result.summary).toBe("Schema matches the spec: columns OK; primary keys OK.");
        expect((await runOne(withKey(["ID", "amount"]), schemaCase, files("amount, id"), options)).result.summary).toBe("Schema matches the spec: columns OK; primary keys OK.");
        expect((await runOne(withKey(["ID"]), schemaCase, files("amount"), options)).result).toMatchObject({
          result: "NOK", summary: "Schema deviates from the spec: columns OK; primary keys NOK (expected amount, found ID).",
        });
        expect((await runOne(withKey(["ID", "amount"]), schemaCase, files("id"), options)).result.result).toBe("NOK");
      }
    });

    it("holds a spec that states no key to it", async () => {
      const csv = { "stage_accounts.schema.csv": "column,type,pk\nid,int,\namount,decimal,\nloaded_at,timestamp,\n" };
      expect((await runOne(withKey([]), schemaCase, csv)).result.summary).toBe("Schema matches the spec: columns OK; primary keys OK.");
      expect((await runOne(withKey(["ID"]), schemaCase, csv)).result.summary).toBe("Schema deviates from the spec: columns OK; primary keys NOK (expected none, found ID).");
    });
  });

  it("is N/A without a spec, with two specs, with a broken spec, and for an unknown object", async () => {
    expect((await runOne(accounts(), schemaCase)).result).toMatchObject({
      result: "N/A", status: "ABORTED", summary: "No schema spec found for stage_accounts: expected a file stage_accounts.schema.<ext> in the spec folder.",
    });
    const two = await runOne(accounts(), schemaCase, { "stage_accounts.schema.yaml": schemaYaml(), "stage_accounts.schema.csv": "column,type\nid,int\n" });
    expect(two.result.summary).toMatch(/^2 schema specs found for stage_accounts where one is expected/);
    const broken = await runOne(accounts(), schemaCase, { "stage_accounts.schema.yaml": "columns: [" });
    expect(broken.result).toMatchObject({ result: "N/A" });
    expect(broken.result.summary).toMatch(/^The schema spec cannot be used: specs\/payments\/test\/stage_accounts.schema.yaml:\d+/);
    const missing = await runOne(accounts(), { object: "stage_nothing", type: "schema" }, { "stage_nothing.schema.yaml": schemaYaml() });
    expect(missing.result).toMatchObject({ result: "N/A", summary: "Test object stage_nothing not found at payments/test/alpha." });
    const events = missing.notifier.ofType("testcase.precondition").map((e) => `${e.check}:${e.passed}`);
    expect(events).toEqual(["specs unique:true", "specs valid:true", "test object exists:false"]);
  });

  it("is ERROR when the backend fails", async () => {
    const backend = accounts();
    backend.failures.set("getSchema", new BackendError("BACKEND_UNREACHABLE", "connection refused"));
    const { result } = await runOne(backend, schemaCase, { "stage_accounts.schema.yaml": schemaYaml() });
    expect(result).toMatchObject({ result: "N/A", status: "ERROR" });
    expect(result.summary).toContain("connection refused");
    const pre = accounts();
    pre.failures.set("exists", new Error("socket closed"));
    const r2 = (await runOne(pre, schemaCase, { "stage_accounts.schema.yaml": schemaYaml() })).result;
    expect(r2).toMatchObject({ status: "ERROR", summary: 'Technical error: Precondition "test object exists" could not be checked: socket closed' });
  });

  it("runs against backend-dummy", async () => {
    const spec = "columns:\n  - { name: id, type: INTEGER, pk: true }\n  - { name: region, type: VARCHAR }\n  - { name: amount, type: 'NUMERIC(12,2)' }\n  - { name: ordered_on, type: DATE }\n";
    const { result } = await runOne(new DummyBackend(), { object: DUMMY_TABLE, type: "schema" }, { [`${DUMMY_TABLE}.schema.yaml`]: spec });
    expect(result).toMatchObject({ result: "OK", summary: "Schema matches the spec: columns OK; primary keys OK." });
    const bad = await runOne(new DummyBackend(), { object: DUMMY_TABLE, type: "schema" }, { [`${DUMMY_TABLE}.schema.yaml`]: spec.replace("DATE", "TIMESTAMP") });
    expect(bad.result.summary).toContain("ordered_on timestamp ≠ date");
  });
});

describe("ROWCOUNT", () => {
  const sql = "SELECT COUNT(*) AS n FROM source_accounts";
  const withAnswer = (rows: Record<string, unknown>[], columns = [col("n", "bigint")]) => accounts().answer(sql, columns, rows as never);
  const rc = { object: "stage_accounts", type: "rowcount" };
  const files = { "stage_accounts.rowcount.sql": `${sql};\n` };

  it("is OK when the counts match and NOK with the difference otherwise", async () => {
    expect((await runOne(withAnswer([{ n: 2 }]), rc, files)).result).toMatchObject({ result: "OK", summary: "Row count 2 matches the expected count." });
    const nok = (await runOne(withAnswer([{ n: "1000" }]), rc, files)).result;
    expect(nok).toMatchObject({ result: "NOK", summary: "Row count 2 differs from the expected 1,000 (-998)." });
    expect(nok.diff.rowcount_diff).toEqual({ expected_count: 1000, actual_count: 2 });
  });

  it("is N/A when the spec query does not return exactly one number", async () => {
    expect((await runOne(withAnswer([{ n: 1 }, { n: 2 }]), rc, files)).result.summary).toMatch(/returned more than one row/);
    expect((await runOne(withAnswer([]), rc, files)).result.summary).toMatch(/returned no rows/);
    expect((await runOne(withAnswer([{ n: 1, m: 2 }]), rc, files)).result.summary).toMatch(/returned 2 columns/);
    expect((await runOne(withAnswer([{ n: "many" }]), rc, files)).result).toMatchObject({ result: "N/A", status: "ABORTED" });
  });

  it("counts an empty object (OK when 0 is expected, NOK otherwise) and is ERROR for a failing query", async () => {
    const empty = withAnswer([{ n: 0 }]);
    empty.tables.get("stage_accounts")!.rows = [];
    expect((await runOne(empty, rc, files)).result).toMatchObject({ result: "OK", summary: "Row count 0 matches the expected count." });
    const expectsRows = withAnswer([{ n: 2 }]);
    expectsRows.tables.get("stage_accounts")!.rows = [];
    expect((await runOne(expectsRows, rc, files)).result).toMatchObject({ result: "NOK", summary: "Row count 0 differs from the expected 2 (-2)." });
    const failing = withAnswer([{ n: 1 }]);
    failing.failures.set("query", new BackendError("BACKEND_QUERY", "syntax error at FROM"));
    expect((await runOne(failing, rc, files)).result).toMatchObject({ status: "ERROR" });
  });

  it("runs against backend-dummy", async () => {
    const { result } = await runOne(new DummyBackend(), { object: DUMMY_TABLE, type: "rowcount" }, { [`${DUMMY_TABLE}.rowcount.sql`]: "SELECT id FROM anything WHERE id = 1" });
    // The dummy answers every query with its four rows: more than one row is N/A.
    expect(result).toMatchObject({ result: "N/A", status: "ABORTED" });
  });
});
