import type { DuckDBConnection } from "@duckdb/node-api";
import { SOURCE_FILES, type SourceFile } from "./plan.js";
import { HASH_MACROS_SQL, mulberry32 } from "./random.js";

/**
 * The source CSVs, written by DuckDB (`COPY (SELECT ... FROM range(n)) TO ...`). Some names hold
 * a comma, a double quote or a line break, so the files are real CSV: a reader that counts
 * physical lines gets them wrong, a CSV reader gets them right.
 */

export const REGIONS = ["europe", "asia", "americas", "africa", "oceania"];
const CUSTOMER_TYPES = ["individual", "corporate", "government"];
const ACCOUNT_TYPES = ["checking", "savings", "credit"];

/** Stream seeds, drawn in a fixed order so that each (file, column) pair gets its own. */
function streamSeeds(seed: number): Map<string, number> {
  const next = mulberry32(seed);
  const seeds = new Map<string, number>();
  for (const file of SOURCE_FILES) {
    for (const column of ["customer_id", "account_id", "region", "type", "amount"]) seeds.set(`${file.key}.${column}`, next());
  }
  return seeds;
}

const list = (values: string[]): string => `[${values.map((v) => `'${v}'`).join(", ")}]`;

/** The SELECT producing one source file's rows at a scale; `i` runs 1..rows. */
export function sourceFileSelect(file: SourceFile, scale: number, seed: number): string {
  const seeds = streamSeeds(seed);
  const h = (column: string): string => `demo_hash(${seeds.get(`${file.key}.${column}`)!}, i)`;
  const rows = file.rows * scale;
  const from = `FROM range(1, ${rows + 1}) AS r(i)`;
  const date = `DATE '${file.date}' AS date`;
  switch (file.folder) {
    case "customers":
      return `SELECT ${date}, i AS id,
        CASE WHEN i % 37 = 0 THEN 'Smith, Jones & Partners ' || i
             WHEN i % 53 = 0 THEN 'customer_' || i || chr(10) || 'c/o accounts payable'
             WHEN i % 59 = 0 THEN 'The "Corner" Shop ' || i
             ELSE 'customer_' || i END AS name,
        ${list(REGIONS)}[1 + ${h("region")} % ${REGIONS.length}] AS region,
        ${list(CUSTOMER_TYPES)}[1 + ${h("type")} % ${CUSTOMER_TYPES.length}] AS type
        ${from} ORDER BY i`;
    case "accounts":
      return `SELECT ${date}, i AS id,
        1 + ${h("customer_id")} % ${file.customers! * scale} AS customer_id,
        CASE WHEN i % 41 = 0 THEN 'Joint account, account_' || i
             WHEN i % 67 = 0 THEN 'account_' || i || chr(10) || 'closed 2023, reopened'
             ELSE 'account_' || i END AS name,
        ${list(ACCOUNT_TYPES)}[1 + ${h("type")} % ${ACCOUNT_TYPES.length}] AS type
        ${from} ORDER BY i`;
    case "transactions":
      return `SELECT ${date}, ${file.idOffset * scale} + i AS id,
        1 + ${h("customer_id")} % ${file.customers! * scale} AS customer_id,
        1 + ${h("account_id")} % ${file.accounts! * scale} AS account_id,
        CAST((100 + ${h("amount")} % 999901) / 100 AS DECIMAL(12,2)) AS amount
        ${from} ORDER BY i`;
  }
}

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Writes one source file (UTF-8, header, comma, '"' quoting as needed, LF line ends). */
export async function writeSourceFile(
  connection: DuckDBConnection,
  file: SourceFile,
  target: string,
  scale: number,
  seed: number,
): Promise<void> {
  for (const sql of HASH_MACROS_SQL) await connection.run(sql);
  await connection.run(
    `COPY (${sourceFileSelect(file, scale, seed)}) TO ${quote(target)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"')`,
  );
}

export { quote as sqlString };
