// Shared set-up for tests that need a PostgreSQL server: ASSAY_PG_URL names it.
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Backend, Coordinates } from "@assay/ports";
import plugin from "../src/index.js";
import type { PostgresOptionsInput } from "../src/options.js";
import { PostgresOptions } from "../src/options.js";

export const PG_URL = process.env.ASSAY_PG_URL;
/** Why server suites are skipped, or false when they run. */
export const NO_SERVER: string | false = PG_URL ? false : "ASSAY_PG_URL is not set";

/** A uniquely named schema in the ASSAY_PG_URL database, dropped by drop(). */
export interface Scratch {
  schema: string;
  at: Coordinates;
  exec(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  backend(options?: Partial<PostgresOptionsInput>, projectRoot?: string): Promise<Backend>;
  drop(): Promise<void>;
}

/** A fresh schema name, unique per call. */
export function uniqueName(prefix = "assay_test"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

export async function scratchSchema(schema = uniqueName()): Promise<Scratch> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  const backends: Backend[] = [];
  return {
    schema,
    at: { domain: "payments", stage: "test", instance: schema },
    exec: (sql, values) => client.query(sql, values),
    async backend(options = {}, projectRoot = process.cwd()) {
      const parsed = PostgresOptions.parse({ url: PG_URL, ...options });
      const backend = await plugin.create(parsed, { projectRoot, warn: () => undefined });
      backends.push(backend);
      return backend;
    },
    async drop() {
      await Promise.all(backends.map((b) => b.close()));
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

export async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}
