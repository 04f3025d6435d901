// The kit's portable COMPARE plan (MariaDB's, and any engine's without a tuned one) on a real
// engine: every COMPARE check of the contract, DuckDB's dialect without its own planner.
import { afterAll, expect, it } from "vitest";
import { contractFixtureSql, runBackendContract } from "@assay/ports/testing";
import { createSqlBackend } from "@assay/sql";
import { duckDbDialect, DuckDbDriver } from "../src/index.js";
import { AT, buildDatabase, defaultDatabase, tempProject } from "./helpers.js";

const project = tempProject();
afterAll(() => project.cleanup());

it("passes the contract's COMPARE checks with the portable plan", async () => {
  const database = defaultDatabase(project.root);
  await buildDatabase(database, ["CREATE SCHEMA alpha", ...contractFixtureSql({ engine: "duckdb", qualify: (name) => `alpha.${name}` })]);
  const { comparePlanner: _tuned, ...portable } = duckDbDialect;
  const create = async () =>
    createSqlBackend(new DuckDbDriver({ readOnly: true, threads: 1 }), portable, { name: "duckdb", target: (at) => ({ database, schema: at.instance }), describe: () => database, timeoutMs: 60_000 });
  const outcomes = await runBackendContract({ create, at: AT, engine: "duckdb" }, (check) => check.group === "COMPARE" && !/abort|deadline/.test(check.name));
  expect(outcomes.filter((o) => o.outcome === "failed")).toEqual([]);
  expect(outcomes.filter((o) => o.outcome === "passed").length).toBeGreaterThan(30);
});
