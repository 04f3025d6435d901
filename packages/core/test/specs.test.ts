import { join } from "node:path";
import { writeWorkbook } from "@assay/xlsx";
import { describe, expect, it } from "vitest";
import { discoverSpecs, listSpecProblems } from "../src/specs/discover.js";
import { parseSpecFileName } from "../src/specs/file-name.js";
import { specsForTestCase } from "../src/specs/match.js";
import { compareTestType } from "../src/testtypes/compare.js";
import { schemaTestType } from "../src/testtypes/schema.js";
import type { SchemaSpec, Spec } from "../src/model.js";
import { makeConfig } from "./support/config.js";
import { writeTree } from "./support/files.js";

async function xlsx(rows: (string | null)[][], sheet = "schema"): Promise<Uint8Array> {
  return writeWorkbook([{ name: sheet, rows }]);
}

describe("spec file names", () => {
  it("splits <object>.<type>[.<scenario>].<ext>", () => {
    expect(parseSpecFileName("stage_accounts.schema.yaml")).toEqual({ object: "stage_accounts", type: "schema", scenario: null, ext: "yaml" });
    expect(parseSpecFileName("core_payments.COMPARE.q4.SQL")).toEqual({ object: "core_payments", type: "compare", scenario: "q4", ext: "sql" });
    expect(parseSpecFileName("README.md")).toBeNull();
    expect(parseSpecFileName("~$x.schema.xlsx")).toBeNull();
    expect(parseSpecFileName("notes.txt")).toBeNull();
  });
});

describe("discoverSpecs", () => {
  it("finds and parses every format recursively, with exact object names", async () => {
    const config = makeConfig();
    const folder = config.domains.payments!.specs.test!;
    writeTree(folder, {
      "stage_accounts.schema.yaml": "columns:\n  - { name: id, type: INTEGER, pk: true }\n  - { name: amount, type: 'decimal(12,2)' }\npartitioning: [load_date]\n",
      "stage_accounts_hist.schema.yaml": "columns:\n  - { name: id }\n",
      "sub/deeper/core_pay.schema.csv": "column,type,pk,partition,cluster\nid,int,x,,\nregion,string,,X,\n,,,,\n",
      "core_pay.compare.q4.sql": "-- expected rows\nSELECT id, region FROM stage_accounts;\n",
      "core_pay.compare.sql": "WITH x AS (SELECT 1 AS id) SELECT * FROM x",
      "core_pay.rowcount.sql": "SELECT COUNT(*) FROM stage_accounts",
      "stage_accounts.stagecount.yaml": "format: csv\nencoding: latin-1\nheaderLines: 1\ndelimiter: ';'\n",
      "stage_empty.stagecount.yaml": "",
      "mart.schema.xlsx": await xlsx([["Column", "Type", "PK"], ["id", "int", "x"], [null, "ignored", null], ["name", "string", null]]),
      "README.md": "not a spec",
    });
    const specs = await discoverSpecs(config, "payments", "test");
    expect(specs.filter((s) => s.error)).toEqual([]);
    const byPath = Object.fromEntries(specs.map((s) => [s.path, s]));
    expect(Object.keys(byPath).sort()).toEqual([
      "specs/payments/test/core_pay.compare.q4.sql", "specs/payments/test/core_pay.compare.sql", "specs/payments/test/core_pay.rowcount.sql",
      "specs/payments/test/mart.schema.xlsx", "specs/payments/test/stage_accounts.schema.yaml", "specs/payments/test/stage_accounts.stagecount.yaml",
      "specs/payments/test/stage_accounts_hist.schema.yaml", "specs/payments/test/stage_empty.stagecount.yaml", "specs/payments/test/sub/deeper/core_pay.schema.csv",
    ]);
    expect(byPath["specs/payments/test/stage_accounts.schema.yaml"]).toMatchObject({
      columns: [{ name: "id", type: "INTEGER" }, { name: "amount", type: "decimal(12,2)" }], primaryKeys: ["id"], partitioning: ["load_date"], clustering: null,
    });
    expect(byPath["specs/payments/test/sub/deeper/core_pay.schema.csv"]).toMatchObject({
      object: "core_pay", columns: [{ name: "id", type: "int" }, { name: "region", type: "string" }], primaryKeys: ["id"], partitioning: ["region"], clustering: [],
    });
    expect(byPath["specs/payments/test/mart.schema.xlsx"]).toMatchObject({ columns: [{ name: "id" }, { name: "name" }], primaryKeys: ["id"], partitioning: null });
    expect(byPath["specs/payments/test/core_pay.compare.q4.sql"]).toMatchObject({ scenario: "q4", sql: "-- expected rows\nSELECT id, region FROM stage_accounts" });
    expect(byPath["specs/payments/test/stage_accounts.stagecount.yaml"]).toMatchObject({ format: "csv", encoding: "latin-1", headerLines: 1, delimiter: ";" });
    expect(byPath["specs/payments/test/stage_empty.stagecount.yaml"]).toMatchObject({ format: null, headerLines: null, error: null });

    // Exact object match: stage_accounts does not claim stage_accounts_hist.
    const forSchema = specsForTestCase(specs, { object: "stage_accounts", type: "SCHEMA", scenario: null }, schemaTestType);
    expect(forSchema.map((s) => s.path)).toEqual(["specs/payments/test/stage_accounts.schema.yaml"]);
    // A scenario picks its own compare spec; the schema spec without scenario serves it.
    const q4 = specsForTestCase(specs, { object: "core_pay", type: "COMPARE", scenario: "q4" }, compareTestType);
    expect(q4.map((s) => s.path)).toEqual(["specs/payments/test/core_pay.compare.q4.sql", "specs/payments/test/sub/deeper/core_pay.schema.csv"]);
    const plain = specsForTestCase(specs, { object: "core_pay", type: "COMPARE", scenario: null }, compareTestType);
    expect(plain.map((s) => s.path)).toEqual(["specs/payments/test/core_pay.compare.sql", "specs/payments/test/sub/deeper/core_pay.schema.csv"]);
    expect(listSpecProblems(specs)).toEqual([]);
  });

  it("gives an empty list for a missing spec folder and refuses an undeclared stage", async () => {
    const config = makeConfig();
    expect(await discoverSpecs(config, "payments", "uat")).toEqual([]);
    await expect(discoverSpecs(config, "payments", "prod")).rejects.toThrow(/Stage "prod" is not declared/);
    await expect(discoverSpecs(config, "sales", "test")).rejects.toThrow(/Domain "sales" is not declared/);
  });

  it("lists broken specs and competing duplicates as problems", async () => {
    const config = makeConfig();
    writeTree(config.domains.payments!.specs.test!, {
      "a.schema.yaml": "columns:\n  - { name: id }\n",
      "a.schema.csv": "column,type\nid,int\n",
      "b.compare.sql": "",
    });
    const specs = await discoverSpecs(config, "payments", "test");
    const problems = listSpecProblems(specs);
    expect(problems).toHaveLength(2);
    expect(problems.map((p) => p.message).join("\n")).toMatch(/holds no query[\s\S]*2 schema specs for a/);
  });

  it("reads primary keys given as a list", async () => {
    const config = makeConfig();
    writeTree(config.domains.payments!.specs.test!, { "a.schema.yml": "columns:\n  - { name: id }\n  - { name: d }\nprimaryKeys: [id, d]\nclustering: [d]\n" });
    const [spec] = (await discoverSpecs(config, "payments", "test")) as SchemaSpec[];
    expect(spec).toMatchObject({ primaryKeys: ["id", "d"], clustering: ["d"], partitioning: null });
  });

  it("keeps the spec of a scenario-specific other type when it exists", () => {
    const base = { error: null, columns: [], primaryKeys: ["id"], partitioning: null, clustering: null, type: "schema" as const, object: "o" };
    const specs: Spec[] = [
      { ...base, scenario: null, path: join("a") },
      { ...base, scenario: "q4", path: join("b") },
      { type: "compare", object: "o", scenario: "q4", path: "c", error: null, sql: "SELECT 1" },
    ];
    expect(specsForTestCase(specs, { object: "o", type: "COMPARE", scenario: "q4" }, compareTestType).map((s) => s.path)).toEqual(["c", "b"]);
  });
});

describe("xlsx schema specs", () => {
  const origin = { path: "specs/payments/test/mart.schema.xlsx", object: "mart", scenario: null };

  it("name the optional package to install when @assay/xlsx is absent", async () => {
    const { parseSchemaXlsx } = await import("../src/specs/parse-schema-xlsx.js");
    const bytes = await xlsx([["column", "type"], ["id", "int"]]);
    const error = await parseSchemaXlsx(bytes, origin, async () => null).then(() => null, (e: unknown) => e as { code: string; message: string; fix: string });
    expect(error?.code).toBe("SPEC_INVALID");
    expect(error?.message).toContain("@assay/xlsx");
    expect(error?.fix).toMatch(/npm install -D @assay\/xlsx/);
  });

  it("read numbers and dates in cells as text, and refuse a file that is not a workbook", async () => {
    const { parseSchemaXlsx } = await import("../src/specs/parse-schema-xlsx.js");
    const spec = await parseSchemaXlsx(await xlsx([["column", "type", "pk"], ["id", "int", "x"], ["2024", "string", null]]), origin);
    expect(spec.columns).toEqual([{ name: "id", type: "int" }, { name: "2024", type: "string" }]);
    await expect(parseSchemaXlsx(new TextEncoder().encode("not a workbook"), origin)).rejects.toThrow(/not a readable xlsx workbook/);
  });
});
