import { readFile } from "node:fs/promises";


import { resolve } from "import-meta-resolve";
import { PluginError } from "@assay/ports";
import type { PluginCandidate } from "../discovery/candidate.js";
import { parentUrlOf } from "../discovery/package-json.js";

/** The part of @duckdb/node-api this file uses. */
interface DuckDbApi {
  DuckDBInstance: {
    create(file: string): Promise<{ connect(): Promise<{ run(sql: string): Promise<unknown>; closeSync(): void }>; closeSync(): void }>;
  };
}

/**
 * Creates the example warehouse by running init's setup SQL in a new DuckDB file, with the
 * DuckDB engine that @assay/backend-duckdb brings (the CLI itself has no DuckDB dependency).
 * Relative paths in the SQL (the raw file) resolve against the project folder.
 */
export async function createDuckDbWarehouse(backendPackage: PluginCandidate, projectDir: string, databaseFile: string, setupSqlFile: string): Promise<void> {
  let api: DuckDbApi;
  try {
    api = (await import(resolve("@duckdb/node-api", parentUrlOf(backendPackage.dir)))) as DuckDbApi;
  } catch (cause) {
    throw new PluginError("PLUGIN_MODULE_INVALID", `@duckdb/node-api cannot be loaded from ${backendPackage.dir}`, {
      fix: "Reinstall @assay/backend-duckdb (npm install -D @assay/backend-duckdb) and run assay init again.",
      cause,
    });
  }
  const sql = await readFile(setupSqlFile, "utf8");
  const instance = await api.DuckDBInstance.create(databaseFile);
  try {
    const connection = await instance.connect();
    try {
      await connection.run(`SET file_search_path = '${projectDir.replaceAll("'", "''")}'`);
      await connection.run(sql);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

