import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Backend, Row } from "@assay/ports";
import { DuckDBInstance } from "@duckdb/node-api";
import { createDuckDbBackend, type DuckDbBackendOptionsInput } from "../src/index.js";

export const AT = { domain: "shop", stage: "test", instance: "alpha" } as const;

/** A temporary project folder; removed by cleanup(). */
export function tempProject(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "assay-duckdb-test-"));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes a database file with the given statements (read-write), then closes it. */
export async function buildDatabase(path: string, statements: string[]): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    for (const sql of statements) await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The database file the default options give for AT. */
export function defaultDatabase(root: string): string {
  return join(root, "warehouse", `${AT.domain}_${AT.stage}.duckdb`);
}

export function backendAt(root: string, options: DuckDbBackendOptionsInput = {}, warnings: string[] = []): Promise<Backend> {
  return createDuckDbBackend(options, { projectRoot: root, warn: (m) => warnings.push(m) });
}

export async function collect(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const outcome = await promise.then(
    () => null,
    (e: unknown) => e as { code?: string; message: string },
  );
  if (outcome === null) throw new Error("expected a rejection, got a result");
  return outcome;
}
