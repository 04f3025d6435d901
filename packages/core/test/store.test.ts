import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DummyBackend } from "@assay/backend-dummy";
import { JsonFormatter } from "@assay/formatter-json";
import { FileStorage } from "@assay/storage-file";
import { TestCaseResult, TestRun } from "../src/model.js";
import { runTestSet } from "../src/runner/run-test-set.js";
import { ResultStore } from "../src/store/result-store.js";
import { newRunId, runIdDate } from "../src/store/run-id.js";
import { makeConfig } from "./support/config.js";
import { testSet } from "./support/run-one.js";
import { CountingStorage, memoryStore } from "./support/stores.js";

const here = dirname(fileURLToPath(import.meta.url));

async function runDummy(store: ResultStore, n: number, name = "Unit", runId?: string) {
  const cases = Array.from({ length: n }, (_, i) => ({ object: `o${i}`, type: "dummy_ok" }));
  return runTestSet({ config: makeConfig(), store, notifiers: [], specs: [], testSet: testSet(cases, name), backend: async () => new DummyBackend(), ...(runId ? { runId } : {}) });
}

describe("ResultStore", () => {
  it("writes the header twice and each result once, whatever the run size", async () => {
    for (const n of [1, 10, 200]) {
      const { store, storage } = memoryStore();
      await runDummy(store, n);
      expect(storage.writes.filter((k) => k.startsWith("runs/"))).toHaveLength(2);
      expect(storage.writes.filter((k) => k.startsWith("results/"))).toHaveLength(n);
      expect(new Set(storage.writes.filter((k) => k.startsWith("results/"))).size).toBe(n);
      expect(storage.reads).toBe(0);
    }
  });

  it("lists runs newest first, filtered by domain, date and test set, from key names", async () => {
    const { store, storage } = memoryStore();
    const ids = [
      newRunId(new Date("2026-01-01T10:00:00Z")),
      newRunId(new Date("2026-01-02T10:00:00Z")),
      newRunId(new Date("2026-01-02T11:00:00Z")),
    ];
    await runDummy(store, 1, "Payments Partial", ids[0]);
    await runDummy(store, 1, "Payments Full", ids[1]);
    await runDummy(store, 1, "Payments Partial", ids[2]);
    storage.reads = 0;
    const all = await store.listRuns();
    expect(all.map((r) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(all[0]).toMatchObject({ domain: "payments", date: "2026-01-02", testSet: "payments-partial" });
    expect(all[0]!.run?.testSet.name).toBe("Payments Partial");
    expect((await store.listRuns({ date: "2026-01-02" })).map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect((await store.listRuns({ domain: "payments", date: "2026-01-01" })).map((r) => r.id)).toEqual([ids[0]]);
    expect((await store.listRuns({ testSet: "payments partial" })).map((r) => r.id)).toEqual([ids[2], ids[0]]);
    storage.reads = 0;
    expect((await store.listRuns({ limit: 1 })).map((r) => r.id)).toEqual([ids[2]]);
    expect(storage.reads).toBe(1);
    expect(await store.listRuns({ domain: "sales" })).toEqual([]);
  });

  it("gets a run by id, unique prefix or latest; refuses an unknown one", async () => {
    const { store } = memoryStore();
    await expect(store.getRun("latest")).rejects.toMatchObject({ code: "RUN_NOT_FOUND", message: "No run is stored in memory:test" });
    const { run } = await runDummy(store, 3);
    expect((await store.getRun("latest")).run.id).toBe(run.id);
    expect((await store.getRun(run.id.slice(0, 20))).results.map((r) => r.object)).toEqual(["o0", "o1", "o2"]);
    await expect(store.getRun("nope")).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
  });

  it("validates what it reads", async () => {
    const { store, storage } = memoryStore();
    const { run } = await runDummy(store, 1);
    const key = (await storage.list("results/"))[0]!;
    await storage.write(key, new TextEncoder().encode(JSON.stringify({ id: 1 })));
    await expect(store.getRun(run.id)).rejects.toMatchObject({ code: "FORMAT_INVALID" });
  });

  it("works on storage-file in a temp folder and finds a run from a new store instance", async () => {
    const root = mkdtempSync(join(tmpdir(), "assay-store-"));
    const store = new ResultStore(new FileStorage(`file:${root}`, root), new JsonFormatter());
    const { run } = await runDummy(store, 5, "File Set");
    const again = new ResultStore(new FileStorage(`file:${root}`, root), new JsonFormatter());
    const read = await again.getRun("latest");
    expect(read.run).toEqual(run);
    expect(read.results).toHaveLength(5);
    expect(existsSync(join(root, "runs", "payments", runIdDate(run.id)!, `${run.id}~file-set.json`))).toBe(true);
    // A result saved through another instance finds the run's header by listing.
    const late = { ...read.results[0]!, summary: "rewritten" };
    await again.saveResult(late);
    expect((await store.getRun(run.id)).results[0]!.summary).toBe("rewritten");
  });

  it("leaves every stored file valid when the writing process is killed with SIGKILL", async () => {
    const dist = join(here, "..", "dist", "index.js");
    expect(existsSync(dist), "build @assay/core first (pnpm build)").toBe(true);
    const root = mkdtempSync(join(tmpdir(), "assay-kill-"));
    const child = spawn(process.execPath, [join(here, "fixtures", "sigkill-writer.mjs"), root], { stdio: ["ignore", "pipe", "pipe"] });
    let stored = 0;
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        stored += d.toString().split("\n").filter(Boolean).length;
        if (stored >= 300) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => (stored >= 300 ? resolve() : reject(new Error(`child exited early: ${stderr}`))));
    });
    await new Promise((r) => child.on("close", r));
    expect(child.signalCode).toBe("SIGKILL");
    const storage = new CountingStorage(new FileStorage(`file:${root}`, root));
    const formatter = new JsonFormatter();
    const keys = await storage.list("");
    expect(keys.length).toBeGreaterThan(300);
    for (const key of keys) {
      const value = formatter.parse(await storage.read(key));
      (key.startsWith("runs/") ? TestRun : TestCaseResult).parse(value);
    }
    const { run, results } = await new ResultStore(storage, formatter).getRun("latest");
    expect(run.status).toBe("EXECUTING");
    expect(results.length).toBeGreaterThanOrEqual(stored - 4);
    // Only temp files of in-flight writes may be left besides the keys, and no key file is empty.
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    for (const file of walk(root).filter((f) => !f.includes(".assay-tmp-"))) expect(readFileSync(file).length).toBeGreaterThan(0);
  });
});
