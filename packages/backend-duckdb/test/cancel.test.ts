import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "@assay/ports";
import { AT, backendAt, buildDatabase, collect, defaultDatabase, failure, tempProject } from "./helpers.js";

// Issue 14: an abort landing a few milliseconds after the start (while DuckDB still prepares the
// statement) was lost, and the query ran on past its deadline. Every offset must end the call.
const HEAVY = "SELECT max(hash(a.range + b.range)) AS m FROM range(1000000) a, range(1000000) b";
const OFFSETS_MS = [0, 1, 2, 3, 4, 5, 7, 10, 15, 25, 40, 60, 100];
// No clock bound: a hung call would run for hours and hit vitest's test timeout; each test proves
// the call ended by the reason it ended with (BACKEND_TIMEOUT or BACKEND_CLOSED).

const project = tempProject();
let backend: Backend;

beforeAll(async () => {
  await buildDatabase(defaultDatabase(project.root), ["CREATE SCHEMA alpha", "CREATE TABLE alpha.t AS SELECT range AS id FROM range(10)"]);
  backend = await backendAt(project.root);
});

afterAll(async () => {
  await backend?.close();
  project.cleanup();
});

async function endsWithTimeout(run: () => Promise<unknown>): Promise<void> {
  const error = await failure(run());
  expect(error.code).toBe("BACKEND_TIMEOUT");
}

describe("cancellation at every moment", () => {
  it.each(OFFSETS_MS)("ends a heavy query aborted %i ms after its start, and the backend stays usable", async (offset) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), offset);
    await endsWithTimeout(() => collect(backend.query(HEAVY, AT, { signal: controller.signal })));
    expect(await backend.countRows({ ...AT, name: "t" })).toBe(10);
  });

  it.each(OFFSETS_MS.filter((ms) => ms > 0))("ends a heavy COMPARE whose deadline of %i ms passes while it is prepared or runs", async (timeoutMs) => {
    const quick = await backendAt(project.root, { timeoutMs });
    try {
      await endsWithTimeout(() => quick.compare!({ at: AT, object: "t", keys: ["id"], expectedSql: "SELECT a.range AS id FROM range(1000000) a, range(1000000) b" }));
    } finally {
      await quick.close();
    }
  });

  it("ends a running query with BACKEND_CLOSED when the backend is closed under it", async () => {
    const other = await backendAt(project.root);
    const running = failure(collect(other.query(HEAVY, AT)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.close();
    expect((await running).code).toBe("BACKEND_CLOSED");
  });

  it("lets close() return while a cancelled query is still being interrupted", async () => {
    const other = await backendAt(project.root);
    const controller = new AbortController();
    const running = failure(collect(other.query(HEAVY, AT, { signal: controller.signal })));
    setTimeout(() => controller.abort(), 2);
    expect((await running).code).toBe("BACKEND_TIMEOUT");
    await other.close();
  });
});
