import { afterAll } from "vitest";
import { contractTableSql, describeBackendContract } from "@assay/ports/testing";
import { AT, backendAt, buildDatabase, defaultDatabase, tempProject } from "./helpers.js";

const project = tempProject();
let ready: Promise<void> | null = null;

describeBackendContract("duckdb", {
  at: AT,
  create: async () => {
    ready ??= buildDatabase(defaultDatabase(project.root), ["CREATE SCHEMA alpha", ...contractTableSql("alpha.assay_contract_orders")]);
    await ready;
    return backendAt(project.root);
  },
});

afterAll(() => project.cleanup());
