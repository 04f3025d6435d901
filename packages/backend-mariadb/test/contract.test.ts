import { afterAll, beforeAll } from "vitest";
import { contractFixtureSql, describeBackendContract, type FixtureTypeNames } from "@assay/ports/testing";
import { NO_SERVER, scratchDatabase, uniqueName, type Scratch } from "./server.js";

let scratch: Scratch | undefined;
// The suite reads `at` when it is defined, so the database name is fixed before set-up runs.
const at = { domain: "payments", stage: "test", instance: uniqueName("c") };

// MariaDB wants a length on VARCHAR, and DATETIME(6) keeps the fixture's fractional seconds.
const types: Partial<FixtureTypeNames> = { string: "VARCHAR(255)", double: "DOUBLE", timestamp: "DATETIME(6)" };
// CAST has no BIGINT, BOOLEAN (a TINYINT), VARCHAR or DOUBLE PRECISION target: SIGNED, CHAR and DOUBLE are its names.
const castTypes: Partial<FixtureTypeNames> = { bigint: "SIGNED", boolean: "SIGNED", string: "CHAR", double: "DOUBLE" };

// The suite's own SQL (WHERE k <> 'B') needs case-sensitive text; utf8mb4_bin still pads spaces ('b' = 'b '), so keys must not rely on it.
const textCollation = "utf8mb4_bin";

beforeAll(async () => {
  if (NO_SERVER) return;
  scratch = await scratchDatabase(at.instance);
  // DEC is a reserved word (DECIMAL's synonym): the values fixture's column `dec` is quoted, in ANSI_QUOTES as the backend's sessions run.
  await scratch.exec("SET sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')");
  for (const statement of contractFixtureSql({ engine: "mariadb", types, castTypes, textCollation })) await scratch.exec(statement.replace(/(?<=[(, ])dec(?=[ ,)])/g, '"dec"'));
});
afterAll(async () => {
  await scratch?.drop();
});

describeBackendContract("mariadb", {
  create: () => scratch!.backend(),
  createWithDeadline: (timeoutMs) => scratch!.backend({ timeoutMs }),
  at,
  engine: "mariadb",
  types,
  castTypes,
  // Sleeps on the server (no CPU) until killed.
  longQuery: "SELECT SLEEP(600) AS id",
  skip: NO_SERVER,
});
