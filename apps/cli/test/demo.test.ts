import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { CLI_BIN, runCli, type CliResult } from "./helpers.js";

/**
 * `assay demo` end to end: generates the DuckDB demo project with @assay/backend-demo (found
 * next to the CLI in this repository), runs every demo test set and checks every test case
 * against the result the demo was built to give.
 */
let work: string;
let demo: CliResult;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "assay-demo-"));
  demo = await runCli(["demo", "--dir", "demo"], { cwd: work, timeoutMs: 280_000 });
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("assay demo", () => {
  it("runs every demo test set and every test case gives its expected result", () => {
    expect(demo.stderr).toBe("");
    expect(demo.stdout).toMatch(/Demo check: all \d+ test cases gave the result the demo was built to give\./);
    expect(demo.code).toBe(0);
  });

  it("says where the results are and what to try next", () => {
    expect(demo.stdout).toContain(`The demo project is in ${path.join(work, "demo")}`);
    expect(demo.stdout).toMatch(/^ {2}cd demo$/m);
    expect(demo.stdout).toMatch(/^ {2}\S.* list runs$/m);
  });

  it("suggests commands that work from where the demo was made", async () => {
    // The demo lives outside any package here: no node_modules/.bin/assay, no global assay.
    const show = /^ {2}(\S.*) show latest$/m.exec(demo.stdout)![1]!;
    expect([`node ${CLI_BIN}`, "assay"]).toContain(show);
    const shell = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile("/bin/sh", ["-c", `cd demo && ${show} show latest`], { cwd: work, timeout: 60_000 }, (error, stdout) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout }),
      );
    });
    expect([0, 1]).toContain(shell.code);
    expect(shell.stdout).toMatch(/test cases?: \d+ OK/);
  });

  it("leaves runs that the suggested commands can read", async () => {
    const cwd = path.join(work, "demo");
    const runs = JSON.parse((await runCli(["list", "runs", "--json"], { cwd })).stdout) as { runs: unknown[] };
    const testSets = JSON.parse((await runCli(["list", "testsets", "--json"], { cwd })).stdout) as { testSets: unknown[] };
    expect(runs.runs.length).toBe(testSets.testSets.length);
    const latest = await runCli(["show", "latest"], { cwd });
    expect([0, 1]).toContain(latest.code);
    expect(latest.stdout).toMatch(/test cases?: \d+ OK/);
  });

  it("the demo folder works on its own: its backend is found next to the CLI", async () => {
    const cwd = path.join(work, "demo");
    const objects = await runCli(["list", "objects", "--domain", "payments", "--stage", "test", "--instance", "alpha"], { cwd });
    expect(objects.code).toBe(0);
    expect(objects.stdout).toMatch(/^payments\s+test\s+alpha\s+table\s+stage_accounts$/m);
    expect(objects.stdout.match(/^payments\s+test\s+alpha\s+files\s+raw_accounts$/gm)).toHaveLength(1);
    const plugins = await runCli(["plugins"], { cwd });
    expect(plugins.stdout).toMatch(/^backend\s+demo\s+@assay\/backend-demo\s+\S+\s+bundled\s+yes/m);
  });
});
