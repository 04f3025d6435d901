import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Backend } from "@assay/ports";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AT, backendAt, buildDatabase, defaultDatabase, failure, tempProject } from "./helpers.js";

const project = tempProject();
const filesRoot = join(project.root, "raw", AT.domain, AT.stage, AT.instance);
const folder = join(filesRoot, "accounts");
const raw = { ...AT, name: "raw_accounts" };
let backend: Backend;

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  mkdirSync(join(filesRoot, "other"), { recursive: true });
  // A quoted field holding a newline: one record over two lines.
  writeFileSync(join(folder, "with_header.csv"), 'id,note\n1,"first line\nsecond line"\n2,plain\n3,"x"\n');
  writeFileSync(join(folder, "no_header.csv"), "1;a\n2;b\n3;c\n4;d\n");
  writeFileSync(join(folder, "two_headers.csv"), "exported by X\nid,note\n1,a\n2,b\n");
  writeFileSync(join(folder, "latin1.csv"), Buffer.from("id,name\n1,caf\xe9\n2,na\xefve\n", "latin1"));
  writeFileSync(join(filesRoot, "other", "secret.csv"), "id\n1\n2\n");
  symlinkSync(join(filesRoot, "other", "secret.csv"), join(folder, "link.csv"));
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT range AS id FROM range(7)) TO '${join(folder, "part.parquet")}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
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

describe("raw files", () => {
  it("counts a quoted newline inside a field once, with the header detected", async () => {
    expect(await backend.countRawFileRows!(raw, ["accounts/with_header.csv"])).toEqual([{ path: "accounts/with_header.csv", rows: 3 }]);
  });

  it("honours headerLines (none, or several skipped), the delimiter and the encoding", async () => {
    expect(await backend.countRawFileRows!(raw, ["no_header.csv"], { headerLines: 0, delimiter: ";" })).toEqual([{ path: "no_header.csv", rows: 4 }]);
    expect(await backend.countRawFileRows!(raw, ["two_headers.csv"], { headerLines: 2 })).toEqual([{ path: "two_headers.csv", rows: 2 }]);
    expect(await backend.countRawFileRows!(raw, ["latin1.csv"], { encoding: "latin-1" })).toEqual([{ path: "latin1.csv", rows: 2 }]);
    expect((await failure(backend.countRawFileRows!(raw, ["latin1.csv"], { encoding: "ebcdic" }))).code).toBe("BACKEND_UNSUPPORTED");
  });

  it("counts several files per load, by absolute path, file URL or relative path, and Parquet", async () => {
    // Without headerLines DuckDB's sniffer decides: "1;a" looks like data, so no_header.csv keeps all 4 rows.
    const absolute = join(folder, "with_header.csv");
    const url = pathToFileURL(join(folder, "no_header.csv")).href;
    const counts = await backend.countRawFileRows!(raw, [absolute, url, "accounts/part.parquet"]);
    expect(counts).toEqual([
      { path: absolute, rows: 3 },
      { path: url, rows: 4 },
      { path: "accounts/part.parquet", rows: 7 },
    ]);
  });

  it("refuses paths that leave the raw object's folder", async () => {
    for (const path of ["../other/secret.csv", join(filesRoot, "other", "secret.csv"), "link.csv", "/etc/passwd"]) {
      const error = await failure(backend.countRawFileRows!(raw, [path]));
      expect(error.code, path).toBe("BACKEND_OBJECT_NOT_FOUND");
      expect(error.message, path).toMatch(/outside/);
    }
    expect((await failure(backend.countRawFileRows!(raw, ["missing.csv"]))).message).toContain("does not exist");
    expect((await failure(backend.countRawFileRows!({ ...AT, name: "raw_nothing" }, ["a.csv"]))).code).toBe("BACKEND_OBJECT_NOT_FOUND");
  });

  it("lists raw folders as files objects and counts a folder's rows", async () => {
    const objects = await backend.listTestObjects(AT);
    expect(objects.filter((o) => o.kind === "files")).toEqual([
      { name: "raw_accounts", kind: "files" },
      { name: "raw_other", kind: "files" },
    ]);
    expect(await backend.countRows({ ...AT, name: "raw_other" })).toBe(2);
  });

  it("pairs stage objects with raw objects", () => {
    expect(backend.rawObjectFor("stage_accounts")).toBe("raw_accounts");
    expect(backend.rawObjectFor("core_accounts")).toBeNull();
  });
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
