import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, scratchProjects } from "./helpers.js";
import { psql, PSQL, withDatabase } from "./postgres.js";

const newProject = scratchProjects();

interface RunJson {
  runs: Array<{ results: Array<{ object: string; type: string; result: string }> }>;
}

function outcomes(stdout: string): string[] {
  const { runs } = JSON.parse(stdout) as RunJson;
  return runs.flatMap((r) => r.results.map((x) => `${x.object} ${x.type.toUpperCase()} ${x.result}`)).sort();
}

const ALL_OK = ["orders COMPARE OK", "orders ROWCOUNT OK", "orders SCHEMA OK", "stage_orders STAGECOUNT OK"];

describe("assay init", () => {
  it("scaffolds a duckdb project in an empty folder whose `assay run --all` is all OK", async () => {
    const dir = await newProject({});
    const init = await runCli(["init"], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("npx assay run --all");
    for (const file of ["assay.config.yaml", "testsets/shop-orders.yaml", "specs/shop/test/orders.schema.yaml", "specs/shop/test/orders.compare.sql", "specs/shop/test/orders.rowcount.sql", "specs/shop/test/stage_orders.stagecount.yaml", "warehouse/shop_test.duckdb"]) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
    }
    expect(await readFile(path.join(dir, ".gitignore"), "utf8")).toMatch(/^\.assay\/$/m);

    const run = await runCli(["run", "--all", "--json"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(outcomes(run.stdout)).toEqual(ALL_OK);

    // The hint init prints gives a NOK.
    await writeFile(path.join(dir, "specs/shop/test/orders.rowcount.sql"), "SELECT 6\n");
    const nok = await runCli(["run", "--all", "--json"], { cwd: dir });
    expect(nok.code).toBe(1);
    expect(outcomes(nok.stdout)).toContain("orders ROWCOUNT NOK");
  });

  it("refuses to overwrite existing files: exit 2, naming them, nothing written", async () => {
    const dir = await newProject({ "assay.config.yaml": "# mine\n", "testsets/shop-orders.yaml": "# mine too\n" });
    const init = await runCli(["init"], { cwd: dir });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain("assay.config.yaml");
    expect(init.stderr).toContain("testsets/shop-orders.yaml");
    expect(await readFile(path.join(dir, "assay.config.yaml"), "utf8")).toBe("# mine\n");
    expect(existsSync(path.join(dir, "specs"))).toBe(false);
  });

  it("writes a postgres project whose setup SQL and `assay run --all` are all OK on a real server", async (ctx) => {
    const dir = await newProject({});
    const init = await runCli(["init", "--backend", "postgres"], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(await readFile(path.join(dir, "assay.config.yaml"), "utf8")).toContain("use: postgres");
    expect(init.stdout).toContain("psql \"$PG_URL\" -f example/setup-postgres.sql");

    const url = process.env.ASSAY_PG_URL;
    if (!url || !PSQL) ctx.skip(!url ? "ASSAY_PG_URL is not set" : "psql is not installed");
    const database = `assay_init_${process.pid}_${Date.now()}`;
    await psql(url!, `CREATE DATABASE ${database}`);
    try {
      const pgUrl = withDatabase(url!, database);
      await psql(pgUrl, await readFile(path.join(dir, "example/setup-postgres.sql"), "utf8"));
      const run = await runCli(["run", "--all", "--json"], { cwd: dir, env: { PG_URL: pgUrl } });
      expect(run.code, run.stderr).toBe(0);
      expect(outcomes(run.stdout)).toEqual(ALL_OK);
    } finally {
      await psql(url!, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  });
});

describe("assay run --all", () => {
  it("is a usage error without test set names, --all or --label", async () => {
    const dir = await newProject({ "assay.config.yaml": "domains: {}\n" });
    const none = await runCli(["run"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("No test set is selected");
  });

  it("with no test set in the project is an input error naming the folder", async () => {
    const dir = await newProject({ "assay.config.yaml": "domains: {}\n" });
    const result = await runCli(["run", "--all"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("selects no test set");
    expect(result.stderr).toContain(path.join(dir, "testsets"));
  });
});
