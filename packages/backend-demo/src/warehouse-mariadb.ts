import { createReadStream } from "node:fs";
import path from "node:path";
import type * as Mysql2 from "mysql2/promise";
import { BackendError, PluginError } from "@assay/ports";
import { rawRoot, warehouses } from "./plan.js";
import { createTableSql } from "./tables.js";
import { instanceBuildSteps, quoteIdent, rawColumns, redact, type BuildStep } from "./warehouse-sql.js";

/**
 * The same warehouse in MariaDB (or MySQL 8): one database per domain, stage and instance
 * (MariaDB has no schemas inside a database; dropped and recreated), stage tables loaded from
 * the same CSV files with LOAD DATA LOCAL INFILE (the server needs local_infile=ON), core and
 * mart built by the same SQL as on DuckDB, with the few type names these engines spell otherwise.
 */

/** The database name template the generated config uses. */
export const MARIADB_DATABASE_TEMPLATE = "assay_demo_{domain}_{stage}_{instance}";

type Mysql = typeof Mysql2;

async function loadDriver(): Promise<Mysql> {
  try {
    return await import("mysql2/promise");
  } catch (cause) {
    throw new PluginError("PLUGIN_NOT_FOUND", "The MariaDB demo needs the package mysql2, which is not installed", {
      expected: "mysql2 resolvable from @assay/backend-demo",
      fix: "Install it next to assay: pnpm add -D mysql2 (or generate the DuckDB demo instead).",
      cause,
    });
  }
}

/** The shared SQL in MariaDB's spelling: VARCHAR needs a length, CAST knows CHAR and DOUBLE, TIMESTAMP columns are DATETIME. */
export function mariaDbSql(sql: string): string {
  const spelt = sql
    .replace(/\bAS VARCHAR\)/g, "AS CHAR)")
    .replace(/\bAS DOUBLE PRECISION\)/g, "AS DOUBLE)")
    .replace(/\bVARCHAR\b(?!\s*\()/g, "VARCHAR(255)");
  return /^CREATE (TEMPORARY )?TABLE/.test(spelt) ? spelt.replace(/\bTIMESTAMP\b/g, "DATETIME") : spelt;
}

async function runStep(connection: Mysql2.Connection, step: BuildStep, rawDir: string): Promise<void> {
  if (step.kind === "sql") {
    await connection.query(mariaDbSql(step.sql));
    return;
  }
  const loadTable = `demo_load_${step.folder}`;
  const columns = rawColumns(step.folder);
  await connection.query(mariaDbSql(createTableSql({ name: loadTable, columns }, loadTable).replace("CREATE TABLE", "CREATE TEMPORARY TABLE IF NOT EXISTS")));
  await connection.query(`TRUNCATE ${loadTable}`);
  // Empty CSV fields are NULLs (DuckDB wrote them so), which LOAD DATA would read as '' or 0.
  const variables = columns.map((c) => `@${c.name}`).join(", ");
  const nulls = columns.map((c) => `${quoteIdent(c.name)} = NULLIF(@${c.name}, '')`).join(", ");
  await connection.query({
    sql: `LOAD DATA LOCAL INFILE 'demo.csv' INTO TABLE ${loadTable} CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\\n' IGNORE 1 LINES (${variables}) SET ${nulls}`,
    infileStreamFactory: () => createReadStream(path.join(rawDir, step.relativePath)),
  });
  const limit = step.limit === null ? "" : ` ORDER BY id LIMIT ${step.limit}`;
  await connection.query(`INSERT INTO ${step.table} SELECT *, TIMESTAMP '${step.ts}', ?, ? FROM ${loadTable}${limit}`, [step.fileName, step.relativePath]);
}

/** Loads the warehouse into the server at `url` from the raw files under `dir`; returns the database names. */
export async function buildMariaDbWarehouses(url: string, dir: string, scale: number, template = MARIADB_DATABASE_TEMPLATE): Promise<string[]> {
  const mysql = await loadDriver();
  let connection: Mysql2.Connection;
  try {
    connection = await mysql.createConnection({ uri: url.replace(/^mariadb:/, "mysql:"), multipleStatements: false, charset: "UTF8MB4_BIN" });
  } catch (cause) {
    throw new BackendError("BACKEND_UNREACHABLE", `Cannot connect to MariaDB at ${redact(url)}: ${(cause as Error).message}`, {
      expected: "a reachable MariaDB or MySQL server that lets this user create databases",
      fix: "Check the URL (ASSAY_MARIADB_URL or --url) and that the server runs, or generate the DuckDB demo instead.",
      cause,
    });
  }
  const databases: string[] = [];
  try {
    await connection.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES'), time_zone = '+00:00'");
    for (const { domain, stage, instances } of warehouses()) {
      for (const plan of instances) {
        const name = template.replaceAll("{domain}", domain).replaceAll("{stage}", stage).replaceAll("{instance}", plan.instance);
        await connection.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
        databases.push(name);
        const schema = quoteIdent(name);
        const q = (table: string): string => `${schema}.${table}`;
        const rawDir = path.join(dir, rawRoot(plan));
        try {
          for (const step of instanceBuildSteps(plan, q, schema, scale)) await runStep(connection, step, rawDir);
        } catch (cause) {
          throw new BackendError("BACKEND_QUERY", `Loading the demo warehouse into MariaDB failed: ${(cause as Error).message}`, {
            where: { key: `${domain}/${stage}/${plan.instance}` },
            fix: "Check that the user may create databases and tables on that server, and that local_infile is ON.",
            cause,
          });
        }
      }
    }
  } finally {
    await connection.end().catch(() => undefined);
  }
  return databases;
}
