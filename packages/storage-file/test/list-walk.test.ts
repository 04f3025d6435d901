import type * as FsPromises from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { bytes, createStorage, tempFolder } from "./helpers.js";

// Watch readdir to prove which folders list() walks; every call still goes to the real disk.
const walked = vi.hoisted(() => [] as string[]);
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return {
    ...real,
    readdir: ((path: string, options: unknown) => {
      walked.push(String(path));
      return (real.readdir as (p: string, o: unknown) => Promise<unknown>)(path, options);
    }) as typeof real.readdir,
  };
});

describe("file storage: list walks only the prefix's subtree", () => {
  beforeEach(() => {
    walked.length = 0;
  });

  it("reads only the folders below the prefix", async () => {
    const project = await tempFolder();
    const s = await createStorage("file:store", project);
    for (const key of ["runs/r1/cases/a", "runs/r1/cases/b", "runs/r1/run.json", "runs/r2/run.json", "other/x/y"]) {
      await s.write(key, bytes(key));
    }
    const root = join(project, "store");
    walked.length = 0;
    expect(await s.list("runs/r1/cases/")).toEqual(["runs/r1/cases/a", "runs/r1/cases/b"]);
    expect(walked).toEqual([join(root, "runs/r1/cases")]);

    walked.length = 0;
    expect(await s.list("runs/r1/ru")).toEqual(["runs/r1/run.json"]);
    expect(walked).toEqual([join(root, "runs/r1")]);

    walked.length = 0;
    expect(await s.list("runs/r")).toEqual(["runs/r1/cases/a", "runs/r1/cases/b", "runs/r1/run.json", "runs/r2/run.json"]);
    expect(walked.sort()).toEqual([join(root, "runs"), join(root, "runs/r1"), join(root, "runs/r1/cases"), join(root, "runs/r2")]);
  });
});
