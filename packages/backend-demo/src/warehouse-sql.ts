import { numberedLoads, sourceFile, type Domain, type InstancePlan } from "./plan.js";
import {
  CORE_ACCOUNT_PAYMENTS,
  CORE_CUSTOMER_TRANSACTIONS,
  MART_ACCOUNT_PAYMENTS_BY_DATE,
  MART_CUSTOMER_REVENUES_BY_DATE,
  RAW_COLUMNS,
  createTableSql,
  stageTable,
  type ColumnDef,
  type RawFolder,
  type TableDef,
} from "./tables.js";

/**
 * The SQL that builds the warehouse, written once in the subset DuckDB and PostgreSQL share.
 * The same query texts, with unqualified names, are the demo's COMPARE specs: the warehouse is
 * built by exactly what the specs expect, except where a defect is planted.
 */

/** Resolves a table name: qualified for building, as-is for spec files. */
export type Resolve = (table: string) => string;
export const unqualified: Resolve = (table) => table;

export function coreTable(domain: Domain): TableDef {
  return domain === "payments" ? CORE_ACCOUNT_PAYMENTS : CORE_CUSTOMER_TRANSACTIONS;
}

export function martTable(domain: Domain): TableDef {
  return domain === "payments" ? MART_ACCOUNT_PAYMENTS_BY_DATE : MART_CUSTOMER_REVENUES_BY_DATE;
}

export interface CoreVariant {
  /** Omit transaction_date (the uat COMPARE leaves the drifted column to SCHEMA). */
  withoutDate?: boolean;
  dateAsText?: boolean;
  dropRegion?: string;
}

/** The rows a core table holds: every staged transaction joined to the snapshot of its date. */
export function coreSelect(domain: Domain, q: Resolve, variant: CoreVariant = {}): string {
  const dateColumn = variant.dateAsText ? "CAST(t.date AS VARCHAR) AS transaction_date" : "t.date AS transaction_date";
  const date = variant.withoutDate ? [] : [`       ${dateColumn},`];
  if (domain === "payments") {
    return [
      "SELECT t.id,",
      ...date,
      "       t.amount,",
      "       t.account_id,",
      "       a.type AS account_type,",
      "       a.name AS account_name,",
      "       a.customer_id AS customer_id", // ClickHouse names a joined table's column that the other side also has by its qualified name,
      `FROM ${q("stage_transactions")} t`,
      `LEFT JOIN ${q("stage_accounts")} a ON a.id = t.account_id AND a.date = t.date`,
    ].join("\n");
  }
  return [
    "SELECT t.id,",
    ...date,
    "       t.amount,",
    "       t.customer_id,",
    "       c.name AS customer_name,",
    "       c.type AS customer_type,",
    "       c.region AS customer_region",
    `FROM ${q("stage_transactions")} t`,
    `LEFT JOIN ${q("stage_customers")} c ON c.id = t.customer_id AND c.date = t.date`,
    ...(variant.dropRegion ? [`WHERE c.region <> '${variant.dropRegion}'`] : []),
  ].join("\n");
}

/** The expected row count of a core table: one row per staged transaction. */
export function coreRowcountSql(domain: Domain, q: Resolve): string {
  const other = domain === "payments" ? ["stage_accounts", "a", "account_id"] : ["stage_customers", "c", "customer_id"];
  return [
    "SELECT COUNT(*) AS expected_rows",
    `FROM ${q("stage_transactions")} t`,
    `LEFT JOIN ${q(other[0]!)} ${other[1]!} ON ${other[1]!}.id = t.${other[2]!} AND ${other[1]!}.date = t.date`,
  ].join("\n");
}

function martKey(domain: Domain): string {
  return domain === "payments" ? "account_id" : "customer_id";
}

function martMeasure(domain: Domain): string {
  return domain === "payments" ? "total_amount" : "total_revenue";
}

/** What a mart should hold, aggregated from core (exact DECIMAL sums). */
export function martExpectedSql(domain: Domain, q: Resolve): string {
  const key = martKey(domain);
  return [
    `SELECT ${key},`,
    "       transaction_date,",
    `       SUM(amount) AS ${martMeasure(domain)},`,
    "       COUNT(*) AS transaction_count",
    `FROM ${q(coreTable(domain).name)}`,
    `GROUP BY ${key}, transaction_date`,
  ].join("\n");
}

/** The same mart computed straight from stage, skipping core (the `from_stage` scenario). */
export function martFromStageSql(domain: Domain, q: Resolve): string {
  const key = martKey(domain);
  return [
    `SELECT t.${key},`,
    "       t.date AS transaction_date,",
    `       SUM(t.amount) AS ${martMeasure(domain)},`,
    "       COUNT(*) AS transaction_count",
    `FROM ${q("stage_transactions")} t`,
    `GROUP BY t.${key}, t.date`,
  ].join("\n");
}

export function martRowcountSql(domain: Domain, q: Resolve): string {
  return [
    "SELECT COUNT(*) AS expected_rows",
    `FROM (SELECT DISTINCT ${martKey(domain)}, transaction_date FROM ${q(coreTable(domain).name)}) day_groups`,
  ].join("\n");
}

/**
 * How the warehouse really builds the mart: sales sums in DOUBLE PRECISION (so it differs from
 * the exact DECIMAL sum in the last bits, which the tolerance absorbs); defect 4 adds to one row.
 */
function martBuildSelect(domain: Domain, q: Resolve, offBy: number | undefined): string {
  const key = martKey(domain);
  const core = q(coreTable(domain).name);
  let measure = domain === "payments" ? "SUM(amount)" : "SUM(CAST(amount AS DOUBLE PRECISION))";
  if (offBy) measure += ` + CASE WHEN ${key} = (SELECT MIN(${key}) FROM ${core}) THEN ${offBy} ELSE 0 END`;
  return `SELECT ${key}, transaction_date, ${measure} AS ${martMeasure(domain)}, COUNT(*) AS transaction_count FROM ${core} GROUP BY ${key}, transaction_date`;
}

/** A step of an instance's build: plain SQL, or loading one raw file into a stage table. */
export type BuildStep =
  | { kind: "sql"; sql: string; singleThreaded?: boolean }
  | {
      kind: "load";
      folder: RawFolder;
      /** Qualified stage table. */
      table: string;
      /** Source file key (plan.ts). */
      file: string;
      /** m__ts, m__source_file and m__source_file_path values. */
      ts: string;
      fileName: string;
      relativePath: string;
      /** Rows to keep (ordered by id), or null for all. */
      limit: number | null;
    };

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Columns of a raw folder, for the load table or read_csv. */
export function rawColumns(folder: RawFolder): ColumnDef[] {
  return RAW_COLUMNS[folder];
}

/**
 * Every step that builds one instance's schema, in order. `q` qualifies a table name with the
 * instance's schema (and, on DuckDB, the attached database).
 */
export function instanceBuildSteps(plan: InstancePlan, q: Resolve, schema: string, scale: number): BuildStep[] {
  const steps: BuildStep[] = [{ kind: "sql", sql: `CREATE SCHEMA IF NOT EXISTS ${schema}` }];
  const stageFolders = [...new Set(plan.loads.map((l) => l.table.slice("stage_".length) as RawFolder))];
  for (const folder of stageFolders) {
    const table = stageTable(folder);
    steps.push({ kind: "sql", sql: createTableSql(table, q(table.name)) });
  }
  for (const { plan: p, load, ts } of numberedLoads()) {
    if (p !== plan) continue;
    const folder = load.table.slice("stage_".length) as RawFolder;
    for (const key of load.files) {
      const file = sourceFile(key);
      const rows = file.rows * scale;
      steps.push({
        kind: "load",
        folder,
        table: q(load.table),
        file: key,
        ts,
        fileName: file.file,
        relativePath: `${folder}/${file.file}`,
        limit: load.fraction === undefined ? null : Math.floor(rows * load.fraction),
      });
    }
  }
  const core = coreTable(plan.domain);
  const override: Record<string, string> = plan.coreDateAsText ? { transaction_date: "VARCHAR" } : {};
  steps.push({ kind: "sql", sql: createTableSql(core, q(core.name), override) });
  const select = coreSelect(plan.domain, q, { dateAsText: plan.coreDateAsText, dropRegion: plan.coreDropsRegion });
  steps.push({ kind: "sql", sql: `INSERT INTO ${q(core.name)}\n${select}\nORDER BY t.id` });
  if (plan.mart) {
    const mart = martTable(plan.domain);
    steps.push({ kind: "sql", sql: createTableSql(mart, q(mart.name)) });
    const key = martKey(plan.domain);
    steps.push({
      kind: "sql",
      sql: `INSERT INTO ${q(mart.name)} ${martBuildSelect(plan.domain, q, plan.martTotalOffBy)} ORDER BY ${key}, transaction_date`,
      // Floating sums depend on the order rows are added in: one thread makes it reproducible.
      singleThreaded: true,
    });
  }
  return steps;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparsable url>";
  }
}
