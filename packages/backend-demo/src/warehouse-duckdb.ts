import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { rawRoot, warehouses } from "./plan.js";
import { sqlString } from "./raw-data.js";
import { instanceBuildSteps, quoteIdent, rawColumns, type BuildStep } from "./warehouse-sql.js";

/** Where the DuckDB warehouse of a domain and stage lives, relative to the project root. */
export function duckdbWarehousePath(domain: string, stage: string): string {
  return `warehouse/${domain}_${stage}.duckdb`;
}

async function runStep(connection: DuckDBConnection, step: BuildStep, rawDir: string): Promise<void> {
  if (step.kind === "sql") {
    if (step.singleThreaded) await connection.run("SET threads = 1");
    try {
      await connection.run(step.sql);
    } finally {
      if (step.singleThreaded) await connection.run("RESET threads");
    }
    return;
  }
  const columns = rawColumns(step.folder)
    .map((c) => `${sqlString(c.name)}: ${sqlString(c.sqlType)}`)
    .join(", ");
  const csv = path.join(rawDir, step.relativePath);
  const read = `read_csv(${sqlString(csv)}, header = true, delim = ',', quote = '"', escape = '"', columns = {${columns}})`;
  const limit = step.limit === null ? "" : ` ORDER BY id LIMIT ${step.limit}`;
  await connection.run(
    `INSERT INTO ${step.table} SELECT *, TIMESTAMP ${sqlString(step.ts)}, ${sqlString(step.fileName)}, ` +
      `${sqlString(step.relativePath)} FROM ${read}${limit}`,
  );
}

/**
 * Builds every warehouse file from the raw files already in place under `dir`: stage tables
 * loaded with read_csv plus load metadata, then core and mart by SQL. Files are replaced.
 */
export async function buildDuckDbWarehouses(connection: DuckDBConnection, dir: string, scale: number): Promise<string[]> {
  const written: string[] = [];
  await mkdir(path.join(dir, "warehouse"), { recursive: true });
  for (const { domain, stage, instances } of warehouses()) {
    const relative = duckdbWarehousePath(domain, stage);
    const file = path.join(dir, relative);
    await rm(file, { force: true });
    await rm(`${file}.wal`, { force: true });
    await connection.run(`ATTACH ${sqlString(file)} AS demo_wh`);
    try {
      for (const plan of instances) {
        const schema = quoteIdent(plan.instance);
        const q = (table: string): string => `demo_wh.${schema}.${table}`;
        const rawDir = path.join(dir, rawRoot(plan));
        for (const step of instanceBuildSteps(plan, q, `demo_wh.${schema}`, scale)) await runStep(connection, step, rawDir);
      }
    } finally {
      await connection.run("DETACH demo_wh");
    }
    written.push(relative);
  }
  return written;
}
