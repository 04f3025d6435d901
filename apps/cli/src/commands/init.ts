import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { ConfigError, PluginError } from "@assay/ports";
import type { Cli } from "../cli.js";
import { createDuckDbWarehouse } from "../init/duckdb-warehouse.js";
import { DUCKDB_WAREHOUSE, EXAMPLE, EXAMPLE_SETUP, exampleFiles } from "../init/example-project.js";
import { findEnginePackage } from "../project/demo-package.js";

const DUCKDB_PACKAGE = "@assay/backend-duckdb";

/**
 * `assay init [--backend NAME]`: scaffolds a project in the current folder (config, one example
 * spec of each type, a test set, a raw file, .gitignore) and, for duckdb, the example warehouse,
 * so that `assay run --all` gives a first result at once. Never overwrites a file (exit 2).
 */
export function initCommand(cli: Cli): Command {
  return new Command("init")
    .description("create an example assay project in the current folder (never overwrites a file)")
    .option("--backend <name>", "the backend the config uses: duckdb, postgres, or any installed backend plugin's name", "duckdb")
    .action(async (options: { backend: string }) => {
      const dir = cli.cwd;
      const backend = options.backend.trim();
      if (!/^[a-z0-9][a-z0-9_-]*$/i.test(backend)) {
        throw new ConfigError("USAGE", `--backend "${options.backend}" is not a backend name`, {
          expected: "a plugin name such as duckdb or postgres",
          fix: "List the installed backends with assay plugins.",
        });
      }
      const files = exampleFiles(backend);
      const targets = [...Object.keys(files), ...(backend === "duckdb" ? [DUCKDB_WAREHOUSE] : [])];
      const existing = targets.filter((file) => existsSync(path.join(dir, file)));
      if (existing.length > 0) {
        throw new ConfigError("USAGE", `assay init would overwrite ${existing.length} existing file${existing.length === 1 ? "" : "s"} in ${dir}: ${existing.join(", ")}`, {
          expected: "a folder without these files",
          fix: "Run assay init in an empty folder, or move these files away first.",
        });
      }
      const duckdb = backend === "duckdb" ? await findEnginePackage(DUCKDB_PACKAGE, dir) : null;
      if (backend === "duckdb" && duckdb === null) {
        throw new PluginError("PLUGIN_NOT_FOUND", `assay init --backend duckdb creates an example DuckDB warehouse with ${DUCKDB_PACKAGE}, which is not installed`, {
          expected: `${DUCKDB_PACKAGE} installed in this project`,
          fix: `Install it (npm install -D ${DUCKDB_PACKAGE}) and run assay init again, or choose another backend with --backend.`,
        });
      }

      for (const [file, text] of Object.entries(files)) {
        const target = path.join(dir, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, text, { flag: "wx" });
      }
      if (duckdb !== null) {
        await mkdir(path.join(dir, path.dirname(DUCKDB_WAREHOUSE)), { recursive: true });
        await createDuckDbWarehouse(duckdb, dir, path.join(dir, DUCKDB_WAREHOUSE), path.join(dir, EXAMPLE_SETUP.duckdb));
      }

      const c = cli.colors;
      cli.out(`Created an example assay project in ${dir}:`);
      for (const file of targets) cli.out(`  ${file}`);
      cli.out("");
      if (backend === "duckdb") {
        cli.out(`The example warehouse ${DUCKDB_WAREHOUSE} holds stage_orders (loaded from the raw file) and orders.`);
        cli.out(`Run every test set (4 test cases, all OK):\n  ${c.bold("npx assay run --all")}`);
        cli.out(c.dim(`To see a NOK, replace the query in specs/${EXAMPLE.domain}/${EXAMPLE.stage}/orders.rowcount.sql with SELECT 6 and run again.`));
      } else if (backend === "postgres") {
        cli.out("Create the example tables, then run every test set (4 test cases, all OK):");
        cli.out(`  export PG_URL=postgres://user:password@host:5432/database`);
        cli.out(`  psql "$PG_URL" -f ${EXAMPLE_SETUP.postgres}`);
        cli.out(`  ${c.bold("npx assay run --all")}`);
        cli.out(c.dim("(needs @assay/backend-postgres installed: npm install -D @assay/backend-postgres)"));
      } else {
        cli.out(`Fill in the options of backend "${backend}" in assay.config.yaml, create the tables the specs under specs/${EXAMPLE.domain}/${EXAMPLE.stage} name, then:`);
        cli.out(`  ${c.bold("npx assay run --all")}`);
      }
    });
}
