import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/** Test helpers: temp folders and a small DuckDB wrapper returning JSON-friendly rows. */

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `assay-demo-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export type Rows = Record<string, unknown>[];

export interface Db {
  connection: DuckDBConnection;
  all(sql: string): Promise<Rows>;
  /** The single value of a one-row, one-column query, as a number. */
  number(sql: string): Promise<number>;
  close(): void;
}

export async function openDuckDb(file = ":memory:", readOnly = true): Promise<Db> {
  const instance = await DuckDBInstance.create(file, readOnly && file !== ":memory:" ? { access_mode: "READ_ONLY" } : {});
  const connection = await instance.connect();
  const all = async (sql: string): Promise<Rows> => (await connection.runAndReadAll(sql)).getRowObjectsJson();
  return {
    connection,
    all,
    async number(sql) {
      const row = (await all(sql))[0]!;
      return Number(Object.values(row)[0]);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Data records of a CSV file, counted by DuckDB's CSV reader (quoted line breaks count once). */
export async function csvRecords(db: Db, file: string): Promise<number> {
  return db.number(`SELECT COUNT(*) FROM read_csv(${sqlString(file)}, header = true, all_varchar = true)`);
}
