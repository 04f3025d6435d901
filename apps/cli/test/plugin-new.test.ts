import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, scratchProjects } from "./helpers.js";

const newProject = scratchProjects();

// The generated packages' contract suites run in plugin-templates.test.ts (workspace copies of
// their dependencies) and after a real npm install in tests/registry; here: what is written, and the refusals.
describe("assay plugin new", () => {
  it("writes a package with the manifest, exports map, peer dependency and keywords discovery expects", async () => {
    const dir = await newProject({});
    const result = await runCli(["plugin", "new", "notifier", "acme"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const root = path.join(dir, "assay-notifier-acme");
    const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: "assay-notifier-acme",
      type: "module",
      keywords: ["assay-plugin", "assay-notifier"],
      assay: { apiVersion: 1, kind: "notifier", name: "acme" },
      exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js", default: "./dist/index.js" }, "./package.json": "./package.json" },
      peerDependencies: { "@assay/ports": expect.stringMatching(/^\^\d+\.\d+\.\d+/) },
    });
    for (const file of ["src/index.ts", "test/contract.test.ts", "tsconfig.json", "tsconfig.build.json", "README.md"]) {
      expect((await readFile(path.join(root, file), "utf8")).length, file).toBeGreaterThan(0);
    }
    expect(await readFile(path.join(root, "test/contract.test.ts"), "utf8")).toContain('describeNotifierContract("acme"');
  });

  it("writes a backend on @assay/sql with its engine's client, released with @assay/ports", async () => {
    const dir = await newProject({});
    const result = await runCli(["plugin", "new", "backend", "acme"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const root = path.join(dir, "assay-backend-acme");
    const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { peerDependencies: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.dependencies["@assay/sql"]).toBe(pkg.peerDependencies["@assay/ports"]);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@assay/sql", "@duckdb/node-api", "zod"]);
    expect(result.stdout.split("\n").filter((line) => line.startsWith("  src/") || line.startsWith("  test/")).map((line) => line.trim())).toEqual([
      "src/dialect.ts",
      "src/driver.ts",
      "src/index.ts",
      "src/read-only.ts",
      "src/values.ts",
      "test/contract.test.ts",
    ]);
    const source = await readFile(path.join(root, "src/index.ts"), "utf8");
    expect(source).toContain('name: "acme"');
    expect(source).not.toContain("__NAME__");
  });

  it("refuses an unknown kind, a bad name and a non-empty folder (exit 2)", async () => {
    const dir = await newProject({ "assay-storage-acme/keep.txt": "mine" });
    const kind = await runCli(["plugin", "new", "reporterx", "acme"], { cwd: dir });
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("one of: backend, storage, formatter, notifier, reporter");
    const name = await runCli(["plugin", "new", "storage", "Acme_1"], { cwd: dir });
    expect(name.code).toBe(2);
    expect(name.stderr).toContain("lower-case letters");
    const taken = await runCli(["plugin", "new", "storage", "acme"], { cwd: dir });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain("already exists and is not empty");
    expect(await readFile(path.join(dir, "assay-storage-acme/keep.txt"), "utf8")).toBe("mine");
  });
});
