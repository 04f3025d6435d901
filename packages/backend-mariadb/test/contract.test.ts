import { afterAll, beforeAll } from "vitest";
import { contractTableSql, describeBackendContract } from "@assay/ports/testing";
import { NO_SERVER, scratchDatabase, uniqueName, type Scratch } from "./server.js";

let scratch: Scratch | undefined;
// The suite reads `at` when it is defined, so the database name is fixed before set-up runs.
const at = { domain: "payments", stage: "test", instance: uniqueName("c") };

beforeAll(async () => {
  if (NO_SERVER) return;
  scratch = await scratchDatabase(at.instance);
  // The portable DDL says VARCHAR without a length, which MariaDB and MySQL require.
  for (const statement of contractTableSql()) await scratch.exec(statement.replace(/\bVARCHAR\b(?!\s*\()/g, "VARCHAR(255)"));
});
afterAll(async () => {
  await scratch?.drop();
});

describeBackendContract("mariadb", {
  create: () => scratch!.backend(),
  at,
  skip: NO_SERVER,
});
