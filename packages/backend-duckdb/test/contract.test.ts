import { afterAll } from "vitest";
import { contractFixtureSql, describeBackendContract } from "@assay/ports/testing";
import { AT, backendAt, buildDatabase, defaultDatabase, tempProject } from "./helpers.js";

const project = tempProject();
let ready: Promise<void> | null = null;
const loaded = () => (ready ??= buildDatabase(defaultDatabase(project.root), ["CREATE SCHEMA alpha", ...contractFixtureSql({ engine: "duckdb", qualify: (name) => `alpha.${name}` })]));

describeBackendContract("duckdb", {
  at: AT,
  engine: "duckdb",
  create: async () => {
    await loaded();
    return backendAt(project.root, { threads: 1 });
  },
  createWithDeadline: async (timeoutMs) => {
    await loaded();
    return backendAt(project.root, { threads: 1, timeoutMs });
  },
  // Runs for hours unless interrupted; one DuckDB thread (above) keeps a hung one from starving the machine.
  longQuery: "SELECT max(hash(a.range + b.range)) % 1000 AS id FROM range(1000000) a, range(1000000) b",
});

afterAll(() => project.cleanup());
