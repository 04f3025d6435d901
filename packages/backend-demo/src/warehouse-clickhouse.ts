import path from "node:path";
import type * as ChdbModule from "chdb";
import { BackendError, PluginError } from "@assay/ports";
import { rawRoot, warehouses } from "./plan.js";
import { instanceBuildSteps, quoteIdent, rawColumns, type BuildStep } from "./warehouse-sql.js";

/**
 * The same warehouse in embedded ClickHouse (chDB) under warehouse/chdb: one database per domain,
 * stage and instance, MergeTree tables (columns Nullable unless NOT NULL, as in SQL), stage tables
 * read from the same CSV files with file(), core and mart built by the same SQL as on DuckDB
 * (join_use_nulls: an unmatched LEFT JOIN side is NULL, as in SQL).
 */

/** The chDB data directory inside the project, and the database name template. */
export const CLICKHOUSE_PATH = "warehouse/chdb";
export const CLICKHOUSE_DATABASE_TEMPLATE = "{domain}_{stage}_{instance}";

type Chdb = typeof ChdbModule;

async function loadChdb(): Promise<Chdb> {
  try {
    return await import("chdb");
  } catch (cause) {
    throw new PluginError("PLUGIN_NOT_FOUND", "The ClickHouse demo needs the package chdb (embedded ClickHouse), which is not installed", {
      expected: "chdb resolvable from @assay/backend-demo",
      fix: "Install it next to assay: pnpm add -D chdb (about 550 MB), or generate the DuckDB demo instead.",
      cause,
    });
  }
}

/** The shared SQL in ClickHouse's terms: a database per instance, MergeTree tables. */
export function clickHouseSql(sql: string): string {
  if (sql.startsWith("CREATE SCHEMA")) return sql.replace("CREATE SCHEMA", "CREATE DATABASE");
  if (!sql.startsWith("CREATE TABLE")) return sql;
  // No sorting key: the specs declare no clustering (ClickHouse reports its sorting key as clustering).
  return `${sql.replace("TIMESTAMP", "DateTime").replace(/, PRIMARY KEY \([^)]*\)\)$/, ")")} ENGINE = MergeTree ORDER BY tuple()`;
}

function loadSql(step: Extract<BuildStep, { kind: "load" }>, rawDir: string): string {
  const structure = rawColumns(step.folder).map((c) => `${c.name} Nullable(${c.sqlType === "VARCHAR" ? "String" : c.sqlType === "INTEGER" ? "Int32" : c.sqlType})`).join(", ");
  const file = path.join(rawDir, step.relativePath).replaceAll("'", "\\'");
  const limit = step.limit === null ? "" : ` ORDER BY id LIMIT ${step.limit}`;
  const meta = [`toDateTime('${step.ts}')`, `'${step.fileName}'`, `'${step.relativePath}'`].join(", ");
  return `INSERT INTO ${step.table} SELECT *, ${meta} FROM file('${file}', 'CSVWithNames', '${structure}')${limit}`;
}

/** Builds every instance's database under `<dir>/warehouse/chdb`; returns the database names. */
export async function buildClickHouseWarehouses(dir: string, scale: number): Promise<string[]> {
  const chdb = await loadChdb();
  const session = new chdb.Session(path.join(dir, CLICKHOUSE_PATH));
  const databases: string[] = [];
  try {
    await session.queryAsync("SET join_use_nulls = 1");
    await session.queryAsync("SET data_type_default_nullable = 1");
    for (const { domain, stage, instances } of warehouses()) {
      for (const plan of instances) {
        const name = CLICKHOUSE_DATABASE_TEMPLATE.replace("{domain}", domain).replace("{stage}", stage).replace("{instance}", plan.instance);
        databases.push(name);
        const q = (table: string): string => `${quoteIdent(name)}.${table}`;
        const rawDir = path.join(dir, rawRoot(plan));
        try {
          await session.queryAsync(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
          for (const step of instanceBuildSteps(plan, q, quoteIdent(name), scale)) await session.queryAsync(step.kind === "sql" ? clickHouseSql(step.sql) : loadSql(step, rawDir));
        } catch (cause) {
          throw new BackendError("BACKEND_QUERY", `Loading the demo warehouse into chDB failed: ${(cause as Error).message}`, { where: { key: `${domain}/${stage}/${plan.instance}` }, cause });
        }
      }
    }
  } finally {
    session.close();
    // The backend opens the same data directory in this process next: wait until chDB let it go.
    await chdb.drainPending();
  }
  return databases;
}
