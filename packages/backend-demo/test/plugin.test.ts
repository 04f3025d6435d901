import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAssayError, validateManifest, validatePluginModule, type Backend, type Coordinates } from "@assay/ports";
import { contractFixtureSql, describeBackendContract } from "@assay/ports/testing";
import { RawFileService } from "@assay/core";
import plugin, { DEMO_EXPECTATIONS, generateDemoProject } from "../src/index.js";
import { judgeThroughBackend } from "./port-judge.js";
import { openDuckDb, tempDir } from "./support.js";

/** One generated demo for every test here, made on first use; plus a copy holding the contract table. */
let project: Promise<{ dir: string; contractDir: string; remove: () => Promise<void> }> | undefined;
function demo(): Promise<{ dir: string; contractDir: string; remove: () => Promise<void> }> {
  project ??= (async () => {
    const folder = await tempDir("plugin");
    const dir = path.join(folder.dir, "demo");
    const contractDir = path.join(folder.dir, "contract");
    await generateDemoProject({ dir });
    await cp(dir, contractDir, { recursive: true });
    const db = await openDuckDb(path.join(contractDir, "warehouse", "payments_test.duckdb"), false);
    try {
      for (const sql of contractFixtureSql({ engine: "duckdb", qualify: (name) => `"alpha".${name}` })) await db.connection.run(sql);
    } finally {
      db.close();
    }
    return { dir, contractDir, remove: folder.remove };
  })();
  return project;
}

afterAll(async () => {
  if (project) await (await project).remove();
});

async function options(input: unknown = {}): Promise<Parameters<typeof plugin.create>[0]> {
  const result = await plugin.optionsSchema["~standard"].validate(input);
  if (result.issues) throw new Error(result.issues.map((i) => i.message).join("; "));
  return result.value;
}

async function backendAt(dir: string): Promise<Backend> {
  return plugin.create(await options(), { projectRoot: dir, warn: () => undefined });
}

const alpha: Coordinates = { domain: "payments", stage: "test", instance: "alpha" };

describeBackendContract("demo", {
  at: alpha,
  engine: "duckdb",
  longQuery: "SELECT max(hash(a.range + b.range)) % 1000 AS id FROM range(1000000) a, range(1000000) b",
  create: async () => backendAt((await demo()).contractDir),
});

describe("demo plugin", () => {
  it("matches its package manifest", async () => {
    const pkg: unknown = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    const manifest = validateManifest(pkg, "package.json");
    expect(manifest).toMatchObject({ kind: "backend", name: "demo", apiVersion: 1 });
    expect(() => validatePluginModule({ default: plugin }, manifest, "@assay/backend-demo")).not.toThrow();
  });

  it("defaults every option to the demo layout, read-only", async () => {
    expect(await options()).toMatchObject({
      database: "warehouse/{domain}_{stage}.duckdb",
      schema: "{instance}",
      readOnly: true,
    });
    await expect(options({ nope: 1 })).rejects.toThrow();
  });

  it("lists the stage, core and mart tables at payments/test/alpha", async () => {
    const backend = await backendAt((await demo()).dir);
    try {
      const objects = await backend.listTestObjects(alpha);
      const sorted = [...objects].sort((a, b) => a.name.localeCompare(b.name));
      expect(sorted).toEqual([
        { name: "core_account_payments", kind: "table" },
        { name: "mart_account_payments_by_date", kind: "table" },
        { name: "stage_accounts", kind: "table" },
        { name: "stage_transactions", kind: "table" },
      ]);
    } finally {
      await backend.close();
    }
  });

  it("serves the planted defects: a half-loaded file and a wrong mart total", async () => {
    const backend = await backendAt((await demo()).dir);
    try {
      const stage = { ...alpha, name: "stage_transactions" };
      expect(await backend.countRows(stage)).toBe(1500);
      expect(backend.capabilities).toMatchObject({ latestLoad: true, compare: true });
      {
        const load = await backend.latestLoad!(stage);
        expect(load.files).toEqual([{ path: "transactions/transactions_2024-01-02.csv", rows: 500 }]);
        // The raw side is core's raw-file service, whatever engine serves the stage table.
        const rawFiles = new RawFileService((await demo()).dir);
        const count = async (stageObject: string, stored: string) =>
          (await rawFiles.countFile(await rawFiles.resolveStored(alpha, rawFiles.folderFor(alpha, stageObject)!, stored), {})).rows;
        expect(await count("stage_transactions", load.files[0]!.path)).toBe(1000);
        expect(await count("stage_accounts", "accounts/accounts_2024-01-02.csv")).toBe(210);
      }
      {
        const beta = { ...alpha, instance: "beta" };
        const result = await backend.compare!({
          at: beta,
          expectedSql:
            "SELECT account_id, transaction_date, SUM(amount) AS total_amount, COUNT(*) AS transaction_count FROM core_account_payments GROUP BY account_id, transaction_date",
          object: "mart_account_payments_by_date",
          keys: ["account_id", "transaction_date"],
        });
        expect(result).toMatchObject({ missingRows: 0, extraRows: 0, mismatchedRows: 1 });
        expect(result.diff).toHaveLength(1);
        const [diff] = result.diff;
        expect(diff!.kind).toBe("mismatch");
        expect(diff!.columns).toEqual(["total_amount"]);
        expect(Number(diff!.actual!.total_amount) - Number(diff!.expected!.total_amount)).toBeCloseTo(100, 6);
        expect(diff!.key.transaction_date).toMatch(/^2024-01-01/);
      }
    } finally {
      await backend.close();
    }
  });

  it("gives the documented result for every test case through the Backend port", async () => {
    const { dir } = await demo();
    const backend = await backendAt(dir);
    const db = await openDuckDb();
    try {
      const judged = await judgeThroughBackend(dir, backend, db);
      const why = judged.filter((j) => j.result !== "OK").map((j) => `${j.testSet} ${j.object} ${j.type}: ${j.why}`);
      expect(judged.map(({ why: _why, ...rest }) => rest), why.join("\n")).toEqual(DEMO_EXPECTATIONS);
    } finally {
      db.close();
      await backend.close();
    }
  });

  it("needs the sales tolerance: the DOUBLE mart differs from exact sums in the last bits", async () => {
    const { dir } = await demo();
    const backend = await backendAt(dir);
    try {
      const sql = await readFile(path.join(dir, "specs/sales/test/mart/mart_customer_revenues_by_date.compare.sql"), "utf8");
      const request = {
        at: { domain: "sales", stage: "test", instance: "main" },
        expectedSql: sql,
        object: "mart_customer_revenues_by_date",
        keys: ["customer_id", "transaction_date"],
      };
      const strict = await backend.compare!(request);
      expect(strict.mismatchedRows).toBeGreaterThan(0);
      expect(strict.columns).toContainEqual({ name: "total_revenue", mismatches: strict.mismatchedRows });
      const tolerant = await backend.compare!({ ...request, tolerance: { default: 0, columns: { total_revenue: 0.005 } } });
      expect(tolerant.mismatchedRows).toBe(0);
    } finally {
      await backend.close();
    }
  });

  it("says to run `assay demo` when the project has no warehouse", async () => {
    const empty = await tempDir("nowarehouse");
    try {
      const error: unknown = await backendAt(empty.dir).catch((e: unknown) => e);
      expect(isAssayError(error) && error.code).toBe("BACKEND_UNREACHABLE");
      expect((error as Error & { fix?: string }).fix).toContain("assay demo");
    } finally {
      await empty.remove();
    }
  });
});
