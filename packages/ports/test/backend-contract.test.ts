import { describe, expect, it } from "vitest";
import {
  backendContractChecks,
  compareOracle,
  CONTRACT_FIXTURES,
  contractFixtureSql,
  contractTableSql,
  runBackendContract,
  type BackendContractOptions,
  type ContractOutcome,
} from "../src/testing/index.js";
import { FOREVER, MemoryBackend, type Defects } from "./memory-backend.js";

const at = { domain: "payments", stage: "test", instance: "alpha" };

/** The checks each defect must fail (and a correct backend of the same make must pass). */
const CAUGHT_BY: Record<keyof Defects, string> = {
  floatDecimals: "gives DECIMAL(38,10) values as exact strings with their scale",
  timestampDates: "gives dates as YYYY-MM-DD, never as timestamps",
  ignoreAbort: "query: honours an abort while the query runs",
  executeWrites: "refuses DELETE with BACKEND_READ_ONLY naming DELETE, data unchanged",
  foldFilePaths: "gives the newest load's files in code-point order of path, files differing only in case or by a trailing space apart, rows without a time in no load",
};

function options(defects: Defects): BackendContractOptions {
  return { at, create: async () => new MemoryBackend(defects), longQuery: `SELECT id FROM ${FOREVER}`, hangBoundMs: 1_500 };
}

async function outcomes(defects: Defects): Promise<Map<string, ContractOutcome>> {
  const wanted = new Set(Object.values(CAUGHT_BY));
  const results = await runBackendContract(options(defects), (check) => wanted.has(check.name));
  return new Map(results.map((r) => [r.name, r]));
}

describe("the backend contract suite", () => {
  it("has at least 60 checks, with unique names", () => {
    const names = backendContractChecks().map((c) => c.name);
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect(new Set(names).size).toBe(names.length);
    for (const name of Object.values(CAUGHT_BY)) expect(names).toContain(name);
  });

  it("passes a correct in-memory backend on the checks the defects below must fail", async () => {
    const results = await outcomes({});
    const byName = Object.fromEntries([...results.values()].map((r) => [r.name, `${r.outcome} ${r.reason ?? ""}`.trim()]));
    expect(byName).toEqual(Object.fromEntries(Object.values(CAUGHT_BY).map((name) => [name, "passed"])));
  });

  it.each(Object.entries(CAUGHT_BY))("fails a backend with the defect %s", async (defect, check) => {
    const results = await outcomes({ [defect]: true });
    expect(results.get(check)?.outcome, `${check}: ${results.get(check)?.reason ?? "not run"}`).toBe("failed");
  });

  it("fails a backend with every defect at once on each of those checks", async () => {
    const results = await outcomes({ floatDecimals: true, timestampDates: true, ignoreAbort: true, executeWrites: true, foldFilePaths: true });
    expect([...results.values()].map((r) => r.outcome)).toEqual(Object.values(CAUGHT_BY).map(() => "failed"));
    expect(results.get(CAUGHT_BY.executeWrites)?.reason).toContain("expected BACKEND_READ_ONLY");
    expect(results.get(CAUGHT_BY.ignoreAbort)?.reason).toContain("still running");
  });

  it("reports gated checks as skipped with the missing capability or fixture", async () => {
    const results = await runBackendContract({ ...options({}), fixtures: "contract-table" }, (c) => c.group === "COMPARE" || c.name.startsWith("exists: true for a view"));
    const reasons = new Set(results.map((r) => `${r.outcome}: ${r.reason ?? ""}`));
    expect([...reasons].filter((r) => !r.startsWith("skipped: "))).toEqual([]);
    expect([...reasons].join("\n")).toMatch(/lacks the capability compare/);
    expect([...reasons].join("\n")).toMatch(/loads only CONTRACT_TABLE/);
  });
});

describe("contract fixtures", () => {
  it("emits portable DDL: standard type names, declared keys, typed literals, quotes doubled, views qualified", () => {
    const sql = contractFixtureSql({ qualify: (name) => `alpha.${name}` });
    expect(sql[0]).toBe("CREATE TABLE alpha.assay_contract_orders (id INTEGER, region VARCHAR, amount DECIMAL(12,2), ordered_on DATE, PRIMARY KEY (id))");
    expect(sql[1]).toContain("(CAST('3' AS INTEGER), CAST(NULL AS VARCHAR), CAST('30.25' AS DECIMAL(12,2)), CAST('2024-01-03' AS DATE))");
    expect(sql.find((s) => s.includes("'O''Brien'"))).toBeDefined();
    expect(sql).toContain("CREATE VIEW alpha.assay_contract_orders_europe AS SELECT * FROM alpha.assay_contract_orders WHERE region = 'europe'");
    expect(sql.filter((s) => s.startsWith("CREATE ")).length).toBe(CONTRACT_FIXTURES.filter((f) => !f.engines).length);
  });

  it("takes an engine's type names and a text collation", () => {
    const [ddl] = contractFixtureSql({ types: { string: "TEXT", decimal: "NUMERIC" }, textCollation: '"en-x-icu"' });
    expect(ddl).toBe('CREATE TABLE assay_contract_orders (id INTEGER, region TEXT COLLATE "en-x-icu", amount NUMERIC(12,2), ordered_on DATE, PRIMARY KEY (id))');
    expect(contractTableSql("x.t")[0]).toMatch(/^CREATE TABLE x\.t /);
  });
});

describe("the COMPARE oracle", () => {
  it("counts a hand-made case as the port documents it", () => {
    const expected = [{ k: 1, v: "a" }, { k: 2, v: "b" }, { k: 3, v: "c" }, { k: 3, v: "c" }, { k: null, v: "n" }, { k: 5, v: "e" }];
    const actual = [{ k: 1, v: "a" }, { k: 2, v: "B" }, { k: 4, v: "d" }, { k: null, v: "n" }, { k: 5, v: "e" }, { k: 5, v: "e" }];
    const result = compareOracle(expected, actual, ["k"], ["v"]);
    expect(result).toMatchObject({ expectedRows: 6, actualRows: 6, matchedRows: 2, missingRows: 0, extraRows: 1, mismatchedRows: 1, duplicateKeys: { expected: 1, actual: 1 } });
    expect(result.columns).toEqual([{ name: "v", mismatches: 1 }]);
    expect(result.diff).toEqual(["duplicate|[3]|expected", "duplicate|[5]|actual", "extra|[4]|", "mismatch|[2]|"]);
  });
});
