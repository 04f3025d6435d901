import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { ConfigError } from "@assay/ports";
import { INSTANCES, SOURCE_FILES, rawRoot } from "./plan.js";
import { GENERATED_MARKER, projectFiles, type ProjectSettings } from "./project-files.js";
import { writeSourceFile } from "./raw-data.js";
import { specFiles } from "./spec-files.js";
import { DEMO_EXPECTATIONS, type DemoExpectation } from "./testsets.js";
import { buildDuckDbWarehouses } from "./warehouse-duckdb.js";
import { POSTGRES_DATABASE_TEMPLATE, buildPostgresWarehouses } from "./warehouse-postgres.js";
import { buildMariaDbWarehouses } from "./warehouse-mariadb.js";
import { buildClickHouseWarehouses } from "./warehouse-clickhouse.js";

/** Options of generateDemoProject. */
export interface GenerateDemoOptions {
  /** The project folder; created if missing. An existing demo there is refreshed. */
  dir: string;
  /** Multiplies every row count (a positive integer; default 1: thousands of transactions). */
  scale?: number;
  /** Seed of every generated value (default 42): the same seed gives the same bytes. */
  seed?: number;
  /** Where the warehouse lives (default duckdb: files under warehouse/). */
  engine?: "duckdb" | "postgres" | "mariadb" | "clickhouse";
  /**
   * Server URL (engine postgres or mariadb); default: the environment variable ASSAY_PG_URL or
   * ASSAY_MARIADB_URL. MariaDB gets one database per domain, stage and instance
   * (`assay_demo_{domain}_{stage}_{instance}`), dropped and recreated.
   */
  url?: string;
  /**
   * PostgreSQL database name template over {domain} and {stage} (engine postgres); default
   * `assay_demo_{domain}_{stage}`. Those databases are dropped and recreated.
   */
  database?: string;
}

/** What generateDemoProject made. */
export interface GeneratedDemo {
  /** Absolute project folder. */
  dir: string;
  /** Absolute path of its assay.config.yaml. */
  configFile: string;
  /** The result of every test case of every generated test set. */
  expected: DemoExpectation[];
}

/** Top-level entries a demo folder holds; `.assay` (the user's results) is never touched. */
const GENERATED_ENTRIES = new Set(["assay.config.yaml", "README.md", ".gitignore", "raw", "warehouse", "specs", "testsets", ".assay"]);

function checkOptions(options: GenerateDemoOptions): Required<Omit<GenerateDemoOptions, "url">> & { url?: string } {
  const database = options.database ?? POSTGRES_DATABASE_TEMPLATE;
  const expanded = database.replaceAll("{domain}", "d").replaceAll("{stage}", "s");
  if (!/^[a-z_][a-z0-9_]*$/.test(expanded) || !database.includes("{domain}") || !database.includes("{stage}")) {
    throw new ConfigError("USAGE", `The demo database template ${JSON.stringify(database)} is not usable`, {
      where: { key: "database" },
      expected: "lower-case letters, digits and '_' with both {domain} and {stage}, e.g. assay_demo_{domain}_{stage}",
      fix: "Pass a template such as assay_demo_{domain}_{stage}.",
    });
  }
  const scale = options.scale ?? 1;
  const seed = options.seed ?? 42;
  const engine = options.engine ?? "duckdb";
  if (!Number.isInteger(scale) || scale < 1 || scale > 100_000) {
    throw new ConfigError("USAGE", `The demo scale must be a whole number from 1 to 100000, not ${String(scale)}`, {
      where: { key: "scale" },
      expected: "an integer such as 1, 10 or 1000 (1000 gives millions of transactions)",
      fix: "Pass --scale with a whole number.",
    });
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ConfigError("USAGE", `The demo seed must be a whole number from 0 to 4294967295, not ${String(seed)}`, {
      where: { key: "seed" },
      expected: "a 32-bit unsigned integer",
      fix: "Pass a whole number as the seed.",
    });
  }
  if (!["duckdb", "postgres", "mariadb", "clickhouse"].includes(engine)) {
    throw new ConfigError("USAGE", `Unknown demo engine ${JSON.stringify(engine)}`, {
      where: { key: "engine" },
      expected: "duckdb, postgres, mariadb or clickhouse",
      fix: "Choose duckdb (the default), postgres, mariadb or clickhouse (embedded chDB).",
    });
  }
  return { dir: options.dir, scale, seed, engine, url: options.url, database };
}

/**
 * A folder may be (re)generated when it is missing or empty, when it holds a config this
 * generator wrote, or when it holds nothing but what a demo holds. Anything else is the user's.
 */
async function checkRefreshable(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [] as string[];
    throw new ConfigError("USAGE", `Cannot use ${dir} for the demo: ${e.message}`, {
      where: { file: dir },
      expected: "a folder (missing, empty, or made by `assay demo`)",
      fix: "Choose another folder with --dir.",
      cause: e,
    });
  });
  if (entries.length === 0) return;
  const config = await readFile(path.join(dir, "assay.config.yaml"), "utf8").catch(() => null);
  if (config?.startsWith(GENERATED_MARKER)) return;
  const foreign = entries.filter((e) => !GENERATED_ENTRIES.has(e));
  if (config === null && foreign.length === 0) return;
  throw new ConfigError("USAGE", `${dir} is not empty and is not an assay demo folder, so the demo will not overwrite it`, {
    where: { file: dir },
    expected: "a missing or empty folder, or one made by `assay demo`",
    fix: "Choose another folder with --dir, or empty this one.",
  });
}

/** Each source file is written once by DuckDB, then copied to every other instance that loads it. */
async function writeRawFiles(connection: DuckDBConnection, dir: string, scale: number, seed: number): Promise<void> {
  for (const file of SOURCE_FILES) {
    const targets = INSTANCES.filter((plan) => plan.loads.some((l) => l.files.includes(file.key))).map((plan) =>
      path.join(dir, rawRoot(plan), file.folder, file.file),
    );
    const [first, ...others] = targets;
    if (first === undefined) continue;
    await mkdir(path.dirname(first), { recursive: true });
    await writeSourceFile(connection, file, first, scale, seed);
    for (const other of others) {
      await mkdir(path.dirname(other), { recursive: true });
      await copyFile(first, other);
    }
  }
}

async function writeProjectFile(dir: string, relative: string, content: string | Uint8Array): Promise<void> {
  const target = path.join(dir, ...relative.split("/"));
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
}

/**
 * Generates the demo project into `options.dir`, deterministically from the seed: raw CSVs, the
 * warehouse (DuckDB files, or databases on a PostgreSQL server), specs, test sets, the config
 * and a README. Refreshing an existing demo regenerates all of it and keeps `.assay/`.
 */
export async function generateDemoProject(options: GenerateDemoOptions): Promise<GeneratedDemo> {
  const { scale, seed, engine, url, database } = checkOptions(options);
  const dir = path.resolve(options.dir);
  const settings: ProjectSettings = { seed, scale, engine };
  let serverUrl: string | undefined;
  if (engine === "postgres" || engine === "mariadb") {
    const [variable, name, example] = engine === "postgres" ? ["ASSAY_PG_URL", "PostgreSQL", "postgres://user@127.0.0.1:5432/postgres"] : ["ASSAY_MARIADB_URL", "MariaDB", "mariadb://root@127.0.0.1:3306/test"];
    const fromEnv = process.env[variable];
    serverUrl = url ?? fromEnv;
    if (!serverUrl) {
      throw new ConfigError("USAGE", `The ${name} demo needs a server URL`, {
        where: { key: "url" },
        expected: `a URL such as ${example}`,
        fix: `Pass --url or set the environment variable ${variable}.`,
      });
    }
    // A URL from the environment stays there: the config refers to it, so no secret is written.
    settings.serverUrl = url === undefined || url === fromEnv ? `\${env:${variable}}` : url;
    if (engine === "postgres") settings.postgresDatabase = database;
  }

  await checkRefreshable(dir);
  await mkdir(dir, { recursive: true });
  await rm(path.join(dir, "raw"), { recursive: true, force: true });
  await rm(path.join(dir, "warehouse"), { recursive: true, force: true });

  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await writeRawFiles(connection, dir, scale, seed);
    if (engine === "duckdb") await buildDuckDbWarehouses(connection, dir, scale);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  if (engine === "postgres") await buildPostgresWarehouses(serverUrl!, dir, scale, database);
  if (engine === "mariadb") await buildMariaDbWarehouses(serverUrl!, dir, scale);
  if (engine === "clickhouse") await buildClickHouseWarehouses(dir, scale);

  for (const file of [...(await specFiles()), ...projectFiles(settings)]) await writeProjectFile(dir, file.path, file.content);
  return { dir, configFile: path.join(dir, "assay.config.yaml"), expected: DEMO_EXPECTATIONS.map((e) => ({ ...e })) };
}
