import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { contractFixtureSql, describeBackendContract } from "@assay/ports/testing";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll } from "vitest";
import plugin, { Options } from "../src/index.js";

/** The coordinates the suite tests at: the options map them to warehouse/shop_test.duckdb, schema "contract". */
const at = { domain: "shop", stage: "test", instance: "contract" };
const projectRoot = await mkdtemp(path.join(os.tmpdir(), "assay-backend-__NAME__-"));
afterAll(() => rm(projectRoot, { recursive: true, force: true }));

let loaded: Promise<void> | undefined;

/**
 * Writes the contract fixtures (tables, views, rows) where `at` points, once. With a server
 * engine: connect with a URL from the environment here, create a schema of your own, load the
 * same statements (contractFixtureSql takes your engine's type names), and drop it afterwards.
 */
function loadFixtures(): Promise<void> {
  return (loaded ??= (async () => {
    const file = path.join(projectRoot, "warehouse", `${at.domain}_${at.stage}.duckdb`);
    await mkdir(path.dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    try {
      for (const sql of [`CREATE SCHEMA ${at.instance}`, ...contractFixtureSql({ engine: "duckdb", qualify: (name) => `${at.instance}.${name}` })]) {
        await connection.run(sql);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  })());
}

/** Like assay: options validated and defaulted by the plugin's own schema, then create(). */
async function create(options: Record<string, unknown> = {}) {
  await loadFixtures();
  return plugin.create(Options.parse(options), { projectRoot, warn: (message: string) => console.warn(message) });
}

describeBackendContract("__NAME__", {
  at,
  // Turns on the write statements only DuckDB has (ATTACH, INSTALL, LOAD, EXPORT DATABASE).
  engine: "duckdb",
  create: () => create(),
  createWithDeadline: (ms) => create({ timeoutMs: ms }),
  // Runs for hours unless interrupted: the suite aborts it at every moment of its start-up.
  longQuery: "SELECT max(hash(a.range + b.range)) % 1000 AS id FROM range(1000000) a, range(1000000) b",
  // A server engine: skip: process.env.ACME_URL ? false : "ACME_URL is not set (no server to test against)",
});
