import { createReadStream } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type * as PgNamespace from "pg";
import type { Client } from "pg";
import type * as CopyStreams from "pg-copy-streams";
import { BackendError, PluginError } from "@assay/ports";
import { rawRoot, warehouses } from "./plan.js";
import { createTableSql } from "./tables.js";
import { instanceBuildSteps, quoteIdent, rawColumns, redact, type BuildStep } from "./warehouse-sql.js";

/**
 * The same warehouse in PostgreSQL: one database per domain and stage (dropped and recreated),
 * one schema per instance, stage tables loaded from the same CSV files with COPY FROM STDIN,
 * core and mart built by the same SQL as on DuckDB.
 */

/** The database name template the generated config uses. */
export const POSTGRES_DATABASE_TEMPLATE = "assay_demo_{domain}_{stage}";

export function postgresDatabaseName(domain: string, stage: string, template = POSTGRES_DATABASE_TEMPLATE): string {
  return template.replaceAll("{domain}", domain).replaceAll("{stage}", stage);
}

type PgModule = typeof PgNamespace;
type CopyFrom = (typeof CopyStreams)["from"];

/** pg and pg-copy-streams are optional: only this engine needs them. */
async function loadDrivers(): Promise<{ pg: PgModule; copyFrom: CopyFrom }> {
  try {
    const pg = await import("pg");
    const copy = await import("pg-copy-streams");
    return { pg, copyFrom: copy.from };
  } catch (cause) {
    throw new PluginError("PLUGIN_NOT_FOUND", "The PostgreSQL demo needs the packages pg and pg-copy-streams, which are not installed", {
      expected: "pg and pg-copy-streams resolvable from @assay/backend-demo",
      fix: "Install them next to assay: pnpm add -D pg pg-copy-streams (or generate the DuckDB demo instead).",
      cause,
    });
  }
}

function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function connect(pg: PgModule, url: string): Promise<Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (cause) {
    await client.end().catch(() => undefined);
    throw new BackendError("BACKEND_UNREACHABLE", `Cannot connect to PostgreSQL at ${redact(url)}: ${(cause as Error).message}`, {
      expected: "a reachable PostgreSQL server that lets this user create databases",
      fix: "Check the URL (ASSAY_PG_URL or --url) and that the server runs, or generate the DuckDB demo instead.",
      cause,
    });
  }
  return client;
}

async function runStep(client: Client, copyFrom: CopyFrom, step: BuildStep, rawDir: string): Promise<void> {
  if (step.kind === "sql") {
    // Parallel workers would make floating sums depend on timing; one process adds in one order.
    if (step.singleThreaded) await client.query("SET max_parallel_workers_per_gather = 0");
    try {
      await client.query(step.sql);
    } finally {
      if (step.singleThreaded) await client.query("RESET max_parallel_workers_per_gather");
    }
    return;
  }
  const loadTable = `demo_load_${step.folder}`;
  const columns = rawColumns(step.folder);
  await client.query(
    `${createTableSql({ name: loadTable, columns }, loadTable).replace("CREATE TABLE", "CREATE TEMP TABLE IF NOT EXISTS")}`,
  );
  await client.query(`TRUNCATE ${loadTable}`);
  const copy = client.query(copyFrom(`COPY ${loadTable} FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"')`));
  await pipeline(createReadStream(path.join(rawDir, step.relativePath)), copy);
  const limit = step.limit === null ? "" : ` ORDER BY id LIMIT ${step.limit}`;
  await client.query(
    `INSERT INTO ${step.table} SELECT *, TIMESTAMP '${step.ts}', $1::varchar, $2::varchar FROM ${loadTable}${limit}`,
    [step.fileName, step.relativePath],
  );
}

/**
 * Loads the warehouse into the server at `url` from the raw files under `dir`. Returns the
 * database names. Needs the right to create databases (the server's default superuser has it).
 */
export async function buildPostgresWarehouses(
  url: string,
  dir: string,
  scale: number,
  template = POSTGRES_DATABASE_TEMPLATE,
): Promise<string[]> {
  const { pg, copyFrom } = await loadDrivers();
  const databases: string[] = [];
  const admin = await connect(pg, url);
  try {
    for (const { domain, stage } of warehouses()) {
      const name = postgresDatabaseName(domain, stage, template);
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
      databases.push(name);
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
  for (const { domain, stage, instances } of warehouses()) {
    const client = await connect(pg, databaseUrl(url, postgresDatabaseName(domain, stage, template)));
    try {
      for (const plan of instances) {
        const schema = quoteIdent(plan.instance);
        const q = (table: string): string => `${schema}.${table}`;
        const rawDir = path.join(dir, rawRoot(plan));
        for (const step of instanceBuildSteps(plan, q, schema, scale)) await runStep(client, copyFrom, step, rawDir);
      }
      await client.query("ANALYZE");
    } catch (cause) {
      if (cause instanceof BackendError || cause instanceof PluginError) throw cause;
      throw new BackendError("BACKEND_QUERY", `Loading the demo warehouse into PostgreSQL failed: ${(cause as Error).message}`, {
        where: { key: `${domain}/${stage}` },
        fix: "Check that the user may create databases and tables on that server.",
        cause,
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return databases;
}
