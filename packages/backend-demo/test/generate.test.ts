import { readdir, readFile, mkdir, writeFile, stat } from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAssayError } from "@assay/ports";
import { DEMO_EXPECTATIONS, generateDemoProject } from "../src/index.js";
import { DEMO_TEST_SETS } from "../src/testsets.js";
import { duckDbEngine, judgeDemo } from "./oracle.js";
import { csvRecords, openDuckDb, sqlString, tempDir, type Db } from "./support.js";

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

/** Per table of every warehouse file: row count and an order-independent hash of all rows. */
async function checksums(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of (await readdir(path.join(dir, "warehouse"))).sort()) {
    const db = await openDuckDb(path.join(dir, "warehouse", file));
    try {
      const tables = await db.all("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL");
      for (const t of tables) {
        const name = `"${String(t.schema_name)}"."${String(t.table_name)}"`;
        const [row] = await db.all(`SELECT COUNT(*) AS n, SUM(hash(CAST(t AS VARCHAR))) AS h FROM ${name} t`);
        out[`${file}:${name}`] = `${String(row!.n)}/${String(row!.h)}`;
      }
    } finally {
      db.close();
    }
  }
  return out;
}

describe("generateDemoProject (DuckDB)", () => {
  let first: { dir: string; remove: () => Promise<void> };
  let second: { dir: string; remove: () => Promise<void> };
  let otherSeed: { dir: string; remove: () => Promise<void> };
  let db: Db;

  beforeAll(async () => {
    [first, second, otherSeed] = await Promise.all([tempDir("a"), tempDir("b"), tempDir("c")]);
    await generateDemoProject({ dir: first.dir });
    await generateDemoProject({ dir: second.dir, seed: 42 });
    await generateDemoProject({ dir: otherSeed.dir, seed: 7 });
    db = await openDuckDb();
  });
  afterAll(async () => {
    db?.close();
    await Promise.all([first?.remove(), second?.remove(), otherSeed?.remove()]);
  });

  const warehouse = (file: string): string => path.join(first.dir, "warehouse", file);
  const raw = (relative: string): string => path.join(first.dir, "raw", relative);

  it("returns the config file and the documented expectations", async () => {
    const again = await generateDemoProject({ dir: first.dir });
    expect(again.dir).toBe(first.dir);
    expect(again.configFile).toBe(path.join(first.dir, "assay.config.yaml"));
    expect(again.expected).toEqual(DEMO_EXPECTATIONS);
    expect(again.expected).toHaveLength(DEMO_TEST_SETS.reduce((n, s) => n + s.testcases.length, 0));
  });

  it("is deterministic: the same seed gives identical CSV bytes and table contents", async () => {
    const files = await filesUnder(path.join(first.dir, "raw"));
    expect(files).toEqual(await filesUnder(path.join(second.dir, "raw")));
    expect(files).toHaveLength(12);
    for (const file of files) {
      const a = await readFile(path.join(first.dir, "raw", file));
      const b = await readFile(path.join(second.dir, "raw", file));
      expect(a.equals(b), file).toBe(true);
    }
    const sums = await checksums(first.dir);
    expect(Object.keys(sums)).toHaveLength(15);
    expect(await checksums(second.dir)).toEqual(sums);
  });

  it("gives different data for a different seed", async () => {
    const file = "payments/test/alpha/transactions/transactions_2024-01-01.csv";
    const a = await readFile(path.join(first.dir, "raw", file));
    const c = await readFile(path.join(otherSeed.dir, "raw", file));
    expect(a.equals(c)).toBe(false);
    const sums = await checksums(first.dir);
    const other = await checksums(otherSeed.dir);
    const key = 'payments_test.duckdb:"alpha"."core_account_payments"';
    expect(other[key]!.split("/")[0]).toBe(sums[key]!.split("/")[0]);
    expect(other[key]).not.toBe(sums[key]);
  });

  it("holds the documented row counts", async () => {
    const counts = async (file: string, tables: Record<string, number>): Promise<void> => {
      const wh = await openDuckDb(warehouse(file));
      try {
        for (const [table, rows] of Object.entries(tables)) expect(await wh.number(`SELECT COUNT(*) FROM ${table}`), `${file} ${table}`).toBe(rows);
      } finally {
        wh.close();
      }
    };
    await counts("payments_test.duckdb", {
      "alpha.stage_accounts": 410,
      "alpha.stage_transactions": 1500,
      "alpha.core_account_payments": 1500,
      "beta.stage_accounts": 200,
      "beta.stage_transactions": 1000,
      "beta.core_account_payments": 1000,
    });
    await counts("payments_uat.duckdb", { "main.stage_accounts": 200, "main.stage_transactions": 1000, "main.core_account_payments": 1000 });
    await counts("sales_test.duckdb", { "main.stage_customers": 205, "main.stage_transactions": 2000 });
    const sizes = {
      "customers/customers_2024-01-01.csv": 100,
      "customers/customers_2024-01-02.csv": 105,
      "transactions/transactions_2024-01-01.csv": 1000,
      "transactions/transactions_2024-01-02.csv": 1000,
    };
    for (const [file, rows] of Object.entries(sizes)) expect(await csvRecords(db, raw(`sales/test/main/${file}`))).toBe(rows);
    expect(await csvRecords(db, raw("payments/test/alpha/accounts/accounts_2024-01-02.csv"))).toBe(210);
  });

  it("writes real CSV: quoted commas, quotes and line breaks, so physical lines overcount", async () => {
    const file = raw("payments/test/alpha/accounts/accounts_2024-01-02.csv");
    const text = await readFile(file, "utf8");
    expect(text).toContain('"Joint account, account_41"');
    expect(text).toMatch(/"account_67\nclosed 2023, reopened"/);
    const customers = await readFile(raw("sales/test/main/customers/customers_2024-01-02.csv"), "utf8");
    expect(customers).toContain('"The ""Corner"" Shop 59"');
    const physicalDataLines = text.trimEnd().split("\n").length - 1;
    const records = await csvRecords(db, file);
    expect(records).toBe(210);
    expect(physicalDataLines).toBeGreaterThan(records);
  });

  it("stores load metadata with paths relative to the instance's raw folder", async () => {
    const wh = await openDuckDb(warehouse("payments_test.duckdb"));
    try {
      const loads = await wh.all(
        "SELECT CAST(m__ts AS VARCHAR) AS ts, m__source_file AS f, m__source_file_path AS p, COUNT(*) AS n FROM alpha.stage_transactions GROUP BY ALL ORDER BY ts",
      );
      expect(loads).toEqual([
        { ts: "2024-01-15 10:01:00", f: "transactions_2024-01-01.csv", p: "transactions/transactions_2024-01-01.csv", n: "1000" },
        { ts: "2024-01-15 10:03:00", f: "transactions_2024-01-02.csv", p: "transactions/transactions_2024-01-02.csv", n: "500" },
      ]);
    } finally {
      wh.close();
    }
  });

  describe("planted defects", () => {
    it("1: the newest transactions file is only half loaded at payments/test/alpha", async () => {
      const wh = await openDuckDb(warehouse("payments_test.duckdb"));
      try {
        const staged = await wh.number(
          "SELECT COUNT(*) FROM alpha.stage_transactions WHERE m__ts = (SELECT MAX(m__ts) FROM alpha.stage_transactions)",
        );
        const rawRows = await csvRecords(db, raw("payments/test/alpha/transactions/transactions_2024-01-02.csv"));
        expect(staged).toBe(rawRows / 2);
        // The other instances load their files whole.
        expect(await wh.number("SELECT COUNT(*) FROM beta.stage_transactions")).toBe(
          await csvRecords(db, raw("payments/test/beta/transactions/transactions_2024-01-01.csv")),
        );
      } finally {
        wh.close();
      }
    });

    it("2: the sales core drops region africa, and only that", async () => {
      const wh = await openDuckDb(warehouse("sales_test.duckdb"));
      try {
        const africa = await wh.number(
          "SELECT COUNT(*) FROM main.stage_transactions t JOIN main.stage_customers c ON c.id = t.customer_id AND c.date = t.date WHERE c.region = 'africa'",
        );
        expect(africa).toBeGreaterThan(0);
        expect(await wh.number("SELECT COUNT(*) FROM main.core_customer_transactions WHERE customer_region = 'africa'")).toBe(0);
        expect(await wh.number("SELECT COUNT(*) FROM main.core_customer_transactions")).toBe(2000 - africa);
      } finally {
        wh.close();
      }
    });

    it("3: transaction_date drifted to VARCHAR in uat only", async () => {
      const type = async (file: string, schema: string): Promise<string> => {
        const wh = await openDuckDb(warehouse(file));
        try {
          const [row] = await wh.all(
            `SELECT data_type FROM duckdb_columns() WHERE schema_name = ${sqlString(schema)} AND table_name = 'core_account_payments' AND column_name = 'transaction_date'`,
          );
          return String(row!.data_type);
        } finally {
          wh.close();
        }
      };
      expect(await type("payments_uat.duckdb", "main")).toBe("VARCHAR");
      expect(await type("payments_test.duckdb", "alpha")).toBe("DATE");
      expect(await type("payments_test.duckdb", "beta")).toBe("DATE");
    });

    it("4: exactly one mart row at payments/test/beta is 100.00 off, at the smallest account_id", async () => {
      const wh = await openDuckDb(warehouse("payments_test.duckdb"));
      try {
        const wrong = await wh.all(`
          WITH e AS (SELECT account_id, transaction_date, SUM(amount) AS total FROM beta.core_account_payments GROUP BY ALL)
          SELECT m.account_id, CAST(m.total_amount AS VARCHAR) AS actual, CAST(e.total AS VARCHAR) AS expected,
                 CAST(m.total_amount - e.total AS VARCHAR) AS delta
          FROM beta.mart_account_payments_by_date m JOIN e USING (account_id, transaction_date)
          WHERE m.total_amount <> e.total`);
        expect(wrong).toHaveLength(1);
        expect(wrong[0]!.delta).toBe("100.00");
        expect(wrong[0]!.account_id).toBe(await wh.number("SELECT MIN(account_id) FROM beta.core_account_payments"));
        expect(
          await wh.number(`
            SELECT COUNT(*) FROM alpha.mart_account_payments_by_date m JOIN
              (SELECT account_id, transaction_date, SUM(amount) AS total FROM alpha.core_account_payments GROUP BY ALL) e
              USING (account_id, transaction_date) WHERE m.total_amount <> e.total`),
        ).toBe(0);
      } finally {
        wh.close();
      }
    });
  });

  it("gives exactly the documented result for every test case (plain-SQL oracle)", async () => {
    const engine = await duckDbEngine(first.dir, (file) => openDuckDb(file));
    try {
      const judged = await judgeDemo(first.dir, engine, db);
      const why = judged.filter((j) => j.result !== "OK").map((j) => `${j.testSet} ${j.object} ${j.type}: ${j.why}`);
      expect(judged.map(({ why: _why, ...rest }) => rest), why.join("\n")).toEqual(DEMO_EXPECTATIONS);
    } finally {
      engine.close();
    }
  });

  it("writes project files that parse", async () => {
    const config = parse(await readFile(path.join(first.dir, "assay.config.yaml"), "utf8")) as Record<string, unknown>;
    expect(config).toMatchObject({
      backend: { use: "demo" },
      storage: "file:.assay",
      notifiers: ["stdout"],
      domains: {
        payments: { stages: { test: ["alpha", "beta"], uat: ["main"] }, specs: { test: "specs/payments/test", uat: "specs/payments/uat" } },
        sales: { stages: { test: ["main"] }, compare: { tolerance: { columns: { total_revenue: 0.005 } } } },
      },
    });
    const testsets = (await readdir(path.join(first.dir, "testsets"))).sort();
    expect(testsets.length).toBeGreaterThanOrEqual(5);
    const fromFiles = [];
    for (const file of testsets) {
      const set = parse(await readFile(path.join(first.dir, "testsets", file), "utf8")) as {
        name: string;
        domain: string;
        stage: string;
        instance: string;
        labels: string[];
        testcases: { object: string; type: string; scenario?: string }[];
      };
      expect(set.labels.length).toBeGreaterThan(0);
      for (const tc of set.testcases) fromFiles.push(`${set.name}|${tc.object}|${tc.type.toUpperCase()}|${tc.scenario ?? ""}`);
    }
    expect(fromFiles.sort()).toEqual(DEMO_EXPECTATIONS.map((e) => `${e.testSet}|${e.object}|${e.type}|${e.scenario ?? ""}`).sort());
    const allOk = DEMO_TEST_SETS.filter((s) => s.testcases.every((t) => t.expect === "OK"));
    expect(allOk.length).toBeGreaterThanOrEqual(1);

    const specs = await filesUnder(path.join(first.dir, "specs"));
    for (const ext of [".schema.yaml", ".schema.csv", ".schema.xlsx", ".compare.sql", ".rowcount.sql", ".stagecount.yaml"]) {
      expect(specs.some((f) => f.endsWith(ext)), ext).toBe(true);
    }
    for (const file of specs.filter((f) => f.endsWith(".yaml"))) {
      const text = await readFile(path.join(first.dir, "specs", file), "utf8");
      expect(() => parse(text) as unknown, file).not.toThrow();
    }
    for (const file of specs.filter((f) => f.endsWith(".xlsx"))) {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path.join(first.dir, "specs", file));
      const sheet = workbook.getWorksheet("schema");
      expect(sheet, file).toBeDefined();
      expect((sheet!.getRow(1).values as unknown[]).slice(1)).toEqual(["column", "type", "pk", "partition", "cluster"]);
    }
    for (const file of specs.filter((f) => f.endsWith(".sql"))) {
      const text = await readFile(path.join(first.dir, "specs", file), "utf8");
      expect(text, file).toMatch(/^SELECT /m);
      expect(text, file).not.toMatch(/\b(alpha|beta|main|demo_wh)\./);
      expect(text.trimEnd().endsWith(";"), file).toBe(false);
    }
    const readme = await readFile(path.join(first.dir, "README.md"), "utf8");
    expect(readme).toContain("Planted defects");
  });

  it("refreshes a demo folder and keeps the user's .assay results", async () => {
    const results = path.join(second.dir, ".assay", "runs", "kept.json");
    await mkdir(path.dirname(results), { recursive: true });
    await writeFile(results, "{}");
    await writeFile(path.join(second.dir, "raw", "stale.csv"), "x\n");
    await generateDemoProject({ dir: second.dir });
    expect(await readFile(results, "utf8")).toBe("{}");
    await expect(stat(path.join(second.dir, "raw", "stale.csv"))).rejects.toThrow();
  });

  it("refuses to overwrite a folder that is not a demo", async () => {
    const foreign = await tempDir("foreign");
    try {
      await writeFile(path.join(foreign.dir, "assay.config.yaml"), "backend: { use: duckdb }\n");
      const error: unknown = await generateDemoProject({ dir: foreign.dir }).catch((e: unknown) => e);
      expect(isAssayError(error) && error.code).toBe("USAGE");
      expect(await readFile(path.join(foreign.dir, "assay.config.yaml"), "utf8")).toBe("backend: { use: duckdb }\n");
    } finally {
      await foreign.remove();
    }
  });

  it("refuses a path that is a file", async () => {
    const error: unknown = await generateDemoProject({ dir: path.join(first.dir, "README.md") }).catch((e: unknown) => e);
    expect(isAssayError(error) && error.code).toBe("USAGE");
  });

  it("refuses a scale that is not a positive whole number", async () => {
    for (const scale of [0, 1.5, -2]) {
      const error: unknown = await generateDemoProject({ dir: path.join(first.dir, "never"), scale }).catch((e: unknown) => e);
      expect(isAssayError(error) && error.code).toBe("USAGE");
    }
  });
});

describe("generateDemoProject at scale 3", () => {
  it("multiplies every row count and keeps the defects' proportions", async () => {
    const scaled = await tempDir("scale");
    try {
      await generateDemoProject({ dir: scaled.dir, scale: 3 });
      const wh = await openDuckDb(path.join(scaled.dir, "warehouse", "payments_test.duckdb"));
      try {
        expect(await wh.number("SELECT COUNT(*) FROM alpha.stage_accounts")).toBe(1230);
        expect(await wh.number("SELECT COUNT(*) FROM alpha.stage_transactions")).toBe(4500);
        expect(await wh.number("SELECT MAX(id) FROM alpha.stage_transactions")).toBe(4500);
        expect(await wh.number("SELECT MAX(account_id) FROM beta.stage_transactions")).toBeLessThanOrEqual(600);
      } finally {
        wh.close();
      }
      const db = await openDuckDb();
      try {
        const engine = await duckDbEngine(scaled.dir, (file) => openDuckDb(file));
        try {
          const judged = await judgeDemo(scaled.dir, engine, db);
          expect(judged.map(({ why: _why, ...rest }) => rest)).toEqual(DEMO_EXPECTATIONS);
        } finally {
          engine.close();
        }
      } finally {
        db.close();
      }
    } finally {
      await scaled.remove();
    }
  });
});
