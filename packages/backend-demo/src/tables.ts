/**
 * The demo warehouse's tables, once: the DDL of both engines and the schema specs are written
 * from these definitions, so a spec can never drift from the table it describes (except where a
 * defect is planted on purpose, see defects in plan.ts).
 */

export interface ColumnDef {
  name: string;
  /** Portable SQL type for CREATE TABLE (DuckDB and PostgreSQL accept the same text). */
  sqlType: string;
  /** The harmonised type a schema spec names (what the backends report for sqlType). */
  specType: string;
  pk?: boolean;
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
}

const int = (name: string, pk = false): ColumnDef => ({ name, sqlType: "INTEGER", specType: "int", pk });
const text = (name: string): ColumnDef => ({ name, sqlType: "VARCHAR", specType: "string" });
const date = (name: string, pk = false): ColumnDef => ({ name, sqlType: "DATE", specType: "date", pk });
const money = (name: string, precision = 12): ColumnDef => ({
  name,
  sqlType: `DECIMAL(${precision},2)`,
  specType: `decimal(${precision},2)`,
});
const double = (name: string): ColumnDef => ({ name, sqlType: "DOUBLE PRECISION", specType: "double" });
const timestamp = (name: string): ColumnDef => ({ name, sqlType: "TIMESTAMP", specType: "timestamp" });

/** The raw CSV folders and their columns, in file order. */
export const RAW_COLUMNS = {
  customers: [date("date"), int("id"), text("name"), text("region"), text("type")],
  accounts: [date("date"), int("id"), int("customer_id"), text("name"), text("type")],
  transactions: [date("date"), int("id"), int("customer_id"), int("account_id"), money("amount")],
} satisfies Record<string, ColumnDef[]>;

export type RawFolder = keyof typeof RAW_COLUMNS;

/** Load metadata every stage table carries; STAGECOUNT reads m__ts and m__source_file_path. */
export const LOAD_COLUMNS: ColumnDef[] = [timestamp("m__ts"), text("m__source_file"), text("m__source_file_path")];

export function stageTable(folder: RawFolder): TableDef {
  return { name: `stage_${folder}`, columns: [...RAW_COLUMNS[folder], ...LOAD_COLUMNS] };
}

export const CORE_ACCOUNT_PAYMENTS: TableDef = {
  name: "core_account_payments",
  columns: [
    int("id", true),
    date("transaction_date"),
    money("amount"),
    int("account_id"),
    text("account_type"),
    text("account_name"),
    int("customer_id"),
  ],
};

export const CORE_CUSTOMER_TRANSACTIONS: TableDef = {
  name: "core_customer_transactions",
  columns: [
    int("id", true),
    date("transaction_date"),
    money("amount"),
    int("customer_id"),
    text("customer_name"),
    text("customer_type"),
    text("customer_region"),
  ],
};

/** Exact sums (DECIMAL): a COMPARE needs no tolerance here. */
export const MART_ACCOUNT_PAYMENTS_BY_DATE: TableDef = {
  name: "mart_account_payments_by_date",
  columns: [int("account_id", true), date("transaction_date", true), money("total_amount", 18), int("transaction_count")],
};

/** Floating sums (DOUBLE PRECISION): the sales COMPARE uses a tolerance on total_revenue. */
export const MART_CUSTOMER_REVENUES_BY_DATE: TableDef = {
  name: "mart_customer_revenues_by_date",
  columns: [int("customer_id", true), date("transaction_date", true), double("total_revenue"), int("transaction_count")],
};

export function primaryKeys(table: TableDef): string[] {
  return table.columns.filter((c) => c.pk).map((c) => c.name);
}

/** CREATE TABLE text; `qualified` is the already quoted, schema-qualified name. */
export function createTableSql(table: TableDef, qualified: string, override: Record<string, string> = {}): string {
  const columns = table.columns.map((c) => `${c.name} ${override[c.name] ?? c.sqlType}${c.pk ? " NOT NULL" : ""}`);
  const keys = primaryKeys(table);
  if (keys.length > 0) columns.push(`PRIMARY KEY (${keys.join(", ")})`);
  return `CREATE TABLE ${qualified} (${columns.join(", ")})`;
}
