// Shared set-up for tests that need a MariaDB or MySQL server: ASSAY_MARIADB_URL names it.
import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import type { Backend, Coordinates } from "@assay/ports";
import plugin from "../src/index.js";
import { MariaDbOptions, type MariaDbOptionsInput } from "../src/options.js";

export const MARIADB_URL = process.env.ASSAY_MARIADB_URL;

function connectionUrl(): string {
  return (MARIADB_URL ?? "").replace(/^mariadb:/, "mysql:");
}

async function answers(): Promise<string | false> {
  if (!MARIADB_URL) return "ASSAY_MARIADB_URL is not set";
  try {
    const connection = await mysql.createConnection({ uri: connectionUrl(), connectTimeout: 3_000 });
    await connection.end();
    return false;
  } catch (error) {
    return `the server at ASSAY_MARIADB_URL does not answer (${(error as Error).message})`;
  }
}

/** Why server suites are skipped, or false when they run. */
export const NO_SERVER: string | false = await answers();
if (NO_SERVER && MARIADB_URL) console.log(`MariaDB server tests: skipped, because ${NO_SERVER}.`);

/** A fresh name, unique per call. */
export function uniqueName(prefix = "assay_test"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

/** A uniquely named database at coordinates payments/test/<instance>, dropped by drop(). */
export interface Scratch {
  database: string;
  at: Coordinates;
  exec(sql: string, values?: unknown[]): Promise<unknown>;
  rows(sql: string, values?: unknown[]): Promise<Array<Record<string, unknown>>>;
  backend(options?: Partial<MariaDbOptionsInput>): Promise<Backend>;
  drop(): Promise<void>;
}

export async function scratchDatabase(instance = uniqueName("i")): Promise<Scratch> {
  const at = { domain: "payments", stage: "test", instance };
  const database = `payments_test_${instance}`;
  const connection = await mysql.createConnection({ uri: connectionUrl(), multipleStatements: false, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
  await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await connection.query(`USE \`${database}\``);
  const backends: Backend[] = [];
  return {
    database,
    at,
    exec: (sql, values) => connection.query(sql, values),
    rows: async (sql, values) => (await connection.query(sql, values))[0] as Array<Record<string, unknown>>,
    async backend(options = {}) {
      const backend = await plugin.create(MariaDbOptions.parse({ url: MARIADB_URL, ...options }), { projectRoot: process.cwd(), warn: () => undefined });
      backends.push(backend);
      return backend;
    },
    async drop() {
      await Promise.all(backends.map((b) => b.close()));
      await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await connection.end();
    },
  };
}

export async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}
