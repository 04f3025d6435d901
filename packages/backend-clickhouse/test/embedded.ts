// Shared set-up for the embedded (chDB) tests: a data directory per test file, filled through its own chDB session.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { drainPending, Session } from "chdb";
import type { Backend, Coordinates } from "@assay/ports";
import type { FixtureTypeNames } from "@assay/ports/testing";
import plugin from "../src/index.js";
import { ClickHouseOptions, type ClickHouseOptionsInput } from "../src/options.js";

export interface Embedded {
  dir: string;
  at: Coordinates;
  /** Runs set-up SQL (writes allowed) in the coordinates' database, then frees the engine for the backend. */
  exec(statements: string[]): Promise<void>;
  backend(options?: Partial<ClickHouseOptionsInput>): Promise<Backend>;
  cleanup(): Promise<void>;
}

export function embedded(instance = "alpha"): Embedded {
  const dir = mkdtempSync(path.join(tmpdir(), "assay-chdb-"));
  const at = { domain: "payments", stage: "test", instance };
  const database = `payments_test_${instance}`;
  const backends: Backend[] = [];
  return {
    dir,
    at,
    async exec(statements) {
      const session = new Session(path.join(dir, "data"));
      try {
        await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${database}`);
        for (const sql of statements) await session.queryAsync(sql.replaceAll("{db}", database));
      } finally {
        session.close();
        await drainPending();
      }
    },
    async backend(options = {}) {
      const backend = await plugin.create(ClickHouseOptions.parse({ path: "data", ...options }), { projectRoot: dir, warn: () => undefined });
      backends.push(backend);
      return backend;
    },
    async cleanup() {
      await Promise.all(backends.map((b) => b.close()));
      await drainPending();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

// Every fixture column may hold NULL, which ClickHouse allows only in Nullable types; Date32 and DateTime64 reach 1969.
export const types: Partial<FixtureTypeNames> = {
  int: "Nullable(Int32)", bigint: "Nullable(Int64)", decimal: "Nullable(Decimal({p},{s}))", double: "Nullable(Float64)",
  string: "Nullable(String)", boolean: "Nullable(Bool)", date: "Nullable(Date32)", timestamp: "Nullable(DateTime64(6))",
};

/**
 * The portable DDL in ClickHouse's terms: no PRIMARY KEY constraint, a MergeTree sorted by the
 * declared key instead (its columns not Nullable, as a sort key must be), or by nothing.
 */
export function clickHouseSql(sql: string): string {
  if (!sql.startsWith("CREATE TABLE")) return sql;
  const declared = /, PRIMARY KEY \(([^)]*)\)\)$/.exec(sql);
  const keys = declared ? declared[1]!.split(", ") : [];
  let ddl = declared ? `${sql.slice(0, declared.index)})` : sql;
  for (const key of keys) ddl = ddl.replace(new RegExp(`(\\(|, )${key} Nullable\\(([^,]+?)\\)(?=, |\\)$)`), "$1" + key + " $2");
  return `${ddl} ENGINE = MergeTree ORDER BY ${keys.length > 0 ? `(${keys.join(", ")})` : "tuple()"}`;
}
