/**
 * The files `assay init` writes: a commented config, one example spec of each type, one test
 * set, the raw file STAGECOUNT counts and the .gitignore. The example is a small shop: raw CSV
 * orders are loaded into `stage_orders` (with the load columns m__ts and m__source_file_path),
 * and `orders` is built from the stage table. Every test case is OK on the example data.
 */

export const EXAMPLE = { domain: "shop", stage: "test", instance: "main", testSetFile: "testsets/shop-orders.yaml", testSetName: "Shop Orders" } as const;

/** The raw file's rows (header first); the stage table and the orders table hold these. */
const RAW_ROWS = [
  ["order_id", "customer", "amount", "ordered_on"],
  ["1", "Ada", "12.50", "2026-01-05"],
  ["2", "Grace", "7.25", "2026-01-05"],
  ["3", "Edsger", "99.00", "2026-01-06"],
  ["4", "Barbara", "15.75", "2026-01-07"],
  ["5", "Ken, Jr.", "3.10", "2026-01-07"],
];
const RAW_FOLDER = `raw/${EXAMPLE.domain}/${EXAMPLE.stage}/${EXAMPLE.instance}/orders`;
const RAW_FILE = "orders_2026-01-07.csv";
const LOADED_AT = "2026-01-07 06:00:00";
/** The load column's value: the raw file's path relative to the raw root (rawFiles.root). */
const SOURCE_FILE_PATH = `orders/${RAW_FILE}`;

function csv(rows: string[][]): string {
  return `${rows.map((row) => row.map((v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(",")).join("\n")}\n`;
}

function backendBlock(backend: string): string {
  switch (backend) {
    case "duckdb":
      return `backend:
  use: duckdb                  # needs @assay/backend-duckdb installed in this project
  options:
    # One DuckDB file per domain and stage; {domain}, {stage} and {instance} are filled in.
    database: "warehouse/{domain}_{stage}.duckdb"
    # One schema per instance: unqualified table names in spec SQL resolve in it.
    schema: "{instance}"`;
    case "postgres":
      return `backend:
  use: postgres                # needs @assay/backend-postgres installed in this project
  options:
    # \${env:NAME} reads the environment; secrets never appear in output or results.
    url: "\${env:PG_URL}"        # postgres://user:password@host:5432/database
    # Unqualified table names in spec SQL resolve in this schema ({domain}, {stage}, {instance}).
    schema: "{domain}_{instance}"`;
    default:
      return `backend:
  use: ${backend}
  options: {}                  # see the README of the plugin that provides backend "${backend}"`;
  }
}

function configFile(backend: string): string {
  return `# assay configuration. Every key is validated: a misspelt key is an error with its line.
# Reference: docs/configuration.md of assay (generated from the schema, every key and default).

# Where the data lives. Every domain uses this backend unless it names its own.
${backendBlock(backend)}

# The raw files behind stage tables (STAGECOUNT), whichever backend holds the tables: the
# stage table stage_X is loaded from the folder X under root (the raw object raw_X), and its
# load columns say when (m__ts) and from which file (m__source_file_path) each row came.
rawFiles:
  root: "raw/{domain}/{stage}/{instance}"
  loadColumns: { timestamp: m__ts, file: m__source_file_path }

# Where results are stored, one file per test case (git-ignored): assay show latest reads them.
storage: file:.assay

# Live progress on the terminal.
notifiers: [stdout]

run:
  concurrency: 4               # test cases at a time
  timeoutMs: 600000            # per test case

# Test set files (*.yaml), relative to this file.
testsets: testsets

# Business areas: their stages (environments) and each stage's instances (copies).
domains:
  ${EXAMPLE.domain}:
    stages:
      ${EXAMPLE.stage}: [${EXAMPLE.instance}]
    # Spec files of each stage, found recursively: <object>.<type>[.<scenario>].<ext>
    specs:
      ${EXAMPLE.stage}: specs/${EXAMPLE.domain}/${EXAMPLE.stage}
    compare:
      tolerance: { default: 0, columns: { amount: 0.005 } }   # numeric tolerance per column
      maxDiffRows: 100                                          # differing rows kept per COMPARE
`;
}

const SPECS = `specs/${EXAMPLE.domain}/${EXAMPLE.stage}`;

/** Every file of the example project, by path relative to the project folder. */
export function exampleFiles(backend: string): Record<string, string> {
  const files: Record<string, string> = {
    "assay.config.yaml": configFile(backend),
    [`${SPECS}/orders.schema.yaml`]: `# SCHEMA: the columns of table orders, their types and its primary key (also COMPARE's key).
# Types compare after harmonisation and case-insensitively (INTEGER matches int).
columns:
  - { name: order_id, type: int, pk: true }
  - { name: customer, type: string }
  - { name: amount, type: "decimal(10,2)" }
  - { name: ordered_on, type: date }
`,
    [`${SPECS}/orders.rowcount.sql`]: `-- ROWCOUNT: one number, the row count orders must have: every staged order of the newest load.
SELECT count(*) FROM stage_orders WHERE m__ts = (SELECT max(m__ts) FROM stage_orders)
`,
    [`${SPECS}/orders.compare.sql`]: `-- COMPARE: the rows orders must hold, matched on the schema spec's primary key (order_id).
-- Tables are named without schema: the backend resolves them at the run's stage and instance.
SELECT
  CAST(order_id AS INTEGER) AS order_id,
  customer,
  CAST(amount AS DECIMAL(10,2)) AS amount,
  CAST(ordered_on AS DATE) AS ordered_on
FROM stage_orders
`,
    [`${SPECS}/stage_orders.stagecount.yaml`]: `# STAGECOUNT: each raw file of stage_orders' newest load (the rows with the greatest m__ts,
# grouped by m__source_file_path) must have as many records as rows were staged from it.
# Raw files live under rawFiles.root of the config, sub-folder orders (the raw object raw_orders).
# Every key is optional.
format: csv
encoding: utf-8
headerLines: 1
`,
    [EXAMPLE.testSetFile]: `# A test set: test cases for one domain, run by default at this stage and instance
# (assay run "${EXAMPLE.testSetName}" --stage S --instance I overrides them).
name: ${EXAMPLE.testSetName}
domain: ${EXAMPLE.domain}
stage: ${EXAMPLE.stage}
instance: ${EXAMPLE.instance}
labels: [example]
testcases:
  - { object: stage_orders, type: stagecount }
  - { object: orders, type: schema }
  - { object: orders, type: rowcount }
  - { object: orders, type: compare }
`,
    [`${RAW_FOLDER}/${RAW_FILE}`]: csv(RAW_ROWS),
    ".gitignore": `# assay's results store
.assay/
`,
  };
  if (backend === "duckdb") files[EXAMPLE_SETUP.duckdb] = setupSql("duckdb");
  if (backend === "postgres") files[EXAMPLE_SETUP.postgres] = setupSql("postgres");
  return files;
}

export const EXAMPLE_SETUP = { duckdb: "example/setup-duckdb.sql", postgres: "example/setup-postgres.sql" } as const;

/** The example warehouse: what a pipeline would have done (load the raw file, build orders). */
function setupSql(engine: "duckdb" | "postgres"): string {
  const schema = engine === "duckdb" ? EXAMPLE.instance : `${EXAMPLE.domain}_${EXAMPLE.instance}`;
  const data = RAW_ROWS.slice(1);
  const staged =
    engine === "duckdb"
      ? `-- The stage table, loaded from the raw file with its load columns (run from the project folder).
CREATE TABLE ${schema}.stage_orders AS
SELECT *, TIMESTAMP '${LOADED_AT}' AS m__ts, '${SOURCE_FILE_PATH}' AS m__source_file_path
FROM read_csv('${RAW_FOLDER}/${RAW_FILE}', header = true, all_varchar = true);`
      : `-- The stage table as a load from the raw file ${RAW_FOLDER}/${RAW_FILE} leaves it.
CREATE TABLE ${schema}.stage_orders (
  order_id text, customer text, amount text, ordered_on text,
  m__ts timestamp NOT NULL, m__source_file_path text NOT NULL
);
INSERT INTO ${schema}.stage_orders VALUES
${data.map((r) => `  (${r.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")}, TIMESTAMP '${LOADED_AT}', '${SOURCE_FILE_PATH}')`).join(",\n")};`;
  return `-- The example warehouse of assay init (${engine}). Written by assay init; safe to delete.
${engine === "postgres" ? `CREATE SCHEMA ${schema};\n` : ""}
${staged}

-- The core table, built from the stage table.
CREATE TABLE ${schema}.orders (
  order_id INTEGER PRIMARY KEY,
  customer VARCHAR NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  ordered_on DATE NOT NULL
);
INSERT INTO ${schema}.orders
SELECT CAST(order_id AS INTEGER), customer, CAST(amount AS DECIMAL(10,2)), CAST(ordered_on AS DATE) FROM ${schema}.stage_orders;
`;
}

/** The DuckDB file the duckdb example's config points the shop domain's test stage at. */
export const DUCKDB_WAREHOUSE = `warehouse/${EXAMPLE.domain}_${EXAMPLE.stage}.duckdb`;
