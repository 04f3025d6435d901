import { afterAll, beforeAll } from "vitest";
import { contractTableSql, describeBackendContract } from "@assay/ports/testing";
import { NO_SERVER, scratchSchema, uniqueName, type Scratch } from "./server.js";

let scratch: Scratch | undefined;
// The suite reads `at` when it is defined, so the schema name is fixed before set-up runs.
const at = { domain: "payments", stage: "test", instance: uniqueName() };

beforeAll(async () => {
  if (NO_SERVER) return;
  scratch = await scratchSchema(at.instance);
  await scratch.exec(`SET search_path TO ${scratch.schema}`);
  for (const statement of contractTableSql()) await scratch.exec(statement);
});
afterAll(async () => {
  await scratch?.drop();
});

describeBackendContract("postgres", {
  create: () => scratch!.backend(),
  at,
  skip: NO_SERVER,
});
