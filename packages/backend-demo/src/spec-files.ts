import { schemaSpecFile, type SchemaFormat } from "./schema-spec-files.js";
import { stageTable, type RawFolder, type TableDef } from "./tables.js";
import {
  coreRowcountSql,
  coreSelect,
  coreTable,
  martExpectedSql,
  martFromStageSql,
  martRowcountSql,
  martTable,
  unqualified,
} from "./warehouse-sql.js";

/**
 * Every spec file of the demo, under specs/<domain>/<stage>/<layer>/. Queries are plain SELECTs
 * in the SQL DuckDB and PostgreSQL share, with unqualified table names (the backend resolves
 * them at the run's stage and instance).
 */

export interface ProjectFile {
  /** Relative to the project root, '/' separators. */
  path: string;
  content: string | Uint8Array;
}

const sql = (comment: string, query: string): string =>
  `${comment
    .split("\n")
    .map((l) => `-- ${l}`.trimEnd())
    .join("\n")}\n${query}\n`;

const STAGECOUNT_YAML = [
  "# The raw files behind this stage table: CSV, UTF-8, one header line.",
  "# STAGECOUNT compares the rows of the newest load with the records of the file(s) it came from.",
  "format: csv",
  "encoding: utf-8",
  "headerLines: 1",
  "",
].join("\n");

async function schema(folder: string, table: TableDef, format: SchemaFormat, comment: string): Promise<ProjectFile> {
  return { path: `${folder}/${table.name}.schema.${format}`, content: await schemaSpecFile(table, format, comment) };
}

async function stageSpecs(base: string, folder: RawFolder, format: SchemaFormat): Promise<ProjectFile[]> {
  const table = stageTable(folder);
  return [
    await schema(`${base}/stage`, table, format, `${table.name}: the columns of the ${folder} CSV plus the load metadata.`),
    { path: `${base}/stage/${table.name}.stagecount.yaml`, content: STAGECOUNT_YAML },
  ];
}

async function paymentsTest(): Promise<ProjectFile[]> {
  const base = "specs/payments/test";
  const core = coreTable("payments");
  const mart = martTable("payments");
  return [
    ...(await stageSpecs(base, "accounts", "xlsx")),
    ...(await stageSpecs(base, "transactions", "csv")),
    await schema(`${base}/core`, core, "yaml", `${core.name}: one row per transaction, with its account.`),
    {
      path: `${base}/core/${core.name}.rowcount.sql`,
      content: sql("One row per staged transaction (the LEFT JOIN keeps transactions without an account).", coreRowcountSql("payments", unqualified)),
    },
    {
      path: `${base}/core/${core.name}.compare.sql`,
      content: sql(
        "Every staged transaction with the account snapshot of the same date. Key: id (from the schema spec).",
        coreSelect("payments", unqualified),
      ),
    },
    await schema(`${base}/mart`, mart, "yaml", `${mart.name}: daily totals per account. Key: account_id, transaction_date.`),
    {
      path: `${base}/mart/${mart.name}.rowcount.sql`,
      content: sql("One row per account and day that has transactions in core.", martRowcountSql("payments", unqualified)),
    },
    {
      path: `${base}/mart/${mart.name}.compare.sql`,
      content: sql("Daily totals per account, summed exactly (DECIMAL) from core.", martExpectedSql("payments", unqualified)),
    },
    {
      path: `${base}/mart/${mart.name}.compare.from_stage.sql`,
      content: sql(
        "Scenario from_stage: the same totals computed straight from stage, skipping core.",
        martFromStageSql("payments", unqualified),
      ),
    },
  ];
}

async function paymentsUat(): Promise<ProjectFile[]> {
  const base = "specs/payments/uat";
  const core = coreTable("payments");
  return [
    ...(await stageSpecs(base, "accounts", "yaml")),
    ...(await stageSpecs(base, "transactions", "xlsx")),
    await schema(`${base}/core`, core, "yaml", `${core.name}: one row per transaction, with its account.`),
    {
      path: `${base}/core/${core.name}.rowcount.sql`,
      content: sql("One row per staged transaction (the LEFT JOIN keeps transactions without an account).", coreRowcountSql("payments", unqualified)),
    },
    {
      path: `${base}/core/${core.name}.compare.sql`,
      content: sql(
        "Every staged transaction with its account. transaction_date is left out on purpose: its type is\n" +
          "SCHEMA's business, and a DATE/VARCHAR comparison would fail before any value is looked at.",
        coreSelect("payments", unqualified, { withoutDate: true }),
      ),
    },
  ];
}

async function salesTest(): Promise<ProjectFile[]> {
  const base = "specs/sales/test";
  const core = coreTable("sales");
  const mart = martTable("sales");
  return [
    ...(await stageSpecs(base, "customers", "csv")),
    ...(await stageSpecs(base, "transactions", "yaml")),
    await schema(`${base}/core`, core, "xlsx", ""),
    {
      path: `${base}/core/${core.name}.compare.sql`,
      content: sql(
        "Every staged transaction with the customer snapshot of the same date, whatever the region.\n" +
          "(No ROWCOUNT spec: the dropped region is a value defect that COMPARE reports row by row.)",
        coreSelect("sales", unqualified),
      ),
    },
    await schema(`${base}/mart`, mart, "yaml", `${mart.name}: daily revenue per customer. Key: customer_id, transaction_date.`),
    {
      path: `${base}/mart/${mart.name}.rowcount.sql`,
      content: sql("One row per customer and day that has transactions in core.", martRowcountSql("sales", unqualified)),
    },
    {
      path: `${base}/mart/${mart.name}.compare.sql`,
      content: sql(
        "Daily revenue per customer, summed exactly from core. The mart sums in DOUBLE PRECISION, so the\n" +
          "two differ in the last bits: the sales domain's compare tolerance for total_revenue absorbs that.",
        martExpectedSql("sales", unqualified),
      ),
    },
  ];
}

export async function specFiles(): Promise<ProjectFile[]> {
  return [...(await paymentsTest()), ...(await paymentsUat()), ...(await salesTest())];
}
