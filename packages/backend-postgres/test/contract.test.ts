import { afterAll, beforeAll } from "vitest";
import { contractFixtureSql, describeBackendContract } from "@assay/ports/testing";
import { NO_SERVER, scratchSchema, uniqueName, type Scratch } from "./server.js";

let scratch: Scratch | undefined;
// The suite reads `at` when it is defined, so the schema name is fixed before set-up runs.
const at = { domain: "payments", stage: "test", instance: uniqueName() };

beforeAll(async () => {
  if (NO_SERVER) return;
  scratch = await scratchSchema(at.instance);
  await scratch.exec(`SET search_path TO ${scratch.schema}`);
  // Text columns collate as on a cluster whose default is ICU `en`: order must still be by code point.
  for (const statement of contractFixtureSql({ engine: "postgres", textCollation: '"en-x-icu"' })) await scratch.exec(statement);
});
afterAll(async () => {
  await scratch?.drop();
});

describeBackendContract("postgres", {
  create: () => scratch!.backend(),
  createWithDeadline: (timeoutMs) => scratch!.backend({ timeoutMs }),
  at,
  engine: "postgres",
  // Sleeps on the server (no CPU) until cancelled.
  longQuery: "SELECT 1 AS id FROM pg_sleep(600)",
  skip: NO_SERVER,
});
