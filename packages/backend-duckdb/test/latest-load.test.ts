import type { Backend } from "@assay/ports";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AT, backendAt, buildDatabase, defaultDatabase, failure, tempProject } from "./helpers.js";

// Raw files are counted by core's raw-file service; a backend only reports a stage table's loads.
const project = tempProject();
let backend: Backend;

beforeAll(async () => {
  await buildDatabase(defaultDatabase(project.root), [
    "CREATE SCHEMA alpha",
    "CREATE TABLE alpha.stage_accounts (id INTEGER, m__ts TIMESTAMP, m__source_file_path VARCHAR)",
    `INSERT INTO alpha.stage_accounts VALUES
       (1, TIMESTAMP '2024-01-01 08:00:00', 'old.csv'),
       (2, TIMESTAMP '2024-01-02 09:30:00', 'b.csv'), (3, TIMESTAMP '2024-01-02 09:30:00', 'a.csv'), (4, TIMESTAMP '2024-01-02 09:30:00', 'b.csv')`,
    "CREATE TABLE alpha.loads (id INTEGER, loaded TIMESTAMP, source VARCHAR)",
    "CREATE TABLE alpha.empty_stage (id INTEGER, m__ts TIMESTAMP, m__source_file_path VARCHAR)",
  ]);
  backend = await backendAt(project.root);
});

afterAll(async () => {
  await backend?.close();
  project.cleanup();
});

describe("latestLoad", () => {
  it("gives the files of the newest load with their row counts, ordered by file", async () => {
    expect(await backend.latestLoad!({ ...AT, name: "stage_accounts" })).toEqual({
      loadedAt: "2024-01-02T09:30:00",
      files: [
        { path: "a.csv", rows: 1 },
        { path: "b.csv", rows: 2 },
      ],
    });
  });

  it("takes other column names and answers an empty table with no load", async () => {
    expect(await backend.latestLoad!({ ...AT, name: "loads" }, { timestamp: "loaded", file: "source" })).toEqual({ loadedAt: null, files: [] });
    expect(await backend.latestLoad!({ ...AT, name: "empty_stage" })).toEqual({ loadedAt: null, files: [] });
    expect((await failure(backend.latestLoad!({ ...AT, name: "stage_none" }))).code).toBe("BACKEND_OBJECT_NOT_FOUND");
  });
});
