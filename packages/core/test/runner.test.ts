import { describe, expect, it } from "vitest";
import { BackendError, type Notifier, type RunEvent } from "@assay/ports";
import { DummyBackend } from "@assay/backend-dummy";
import { MemoryNotifier } from "@assay/notifier-memory";
import { RunInterrupted } from "../src/runner/errors.js";
import { runTestSet } from "../src/runner/run-test-set.js";
import { builtinTestTypes } from "../src/testtypes/builtin.js";
import { makeConfig } from "./support/config.js";
import { FakeBackend } from "./support/fake-backend.js";
import { testSet } from "./support/run-one.js";
import { memoryStore } from "./support/stores.js";

const base = () => ({ config: makeConfig(), notifiers: [] as Notifier[], specs: [], ...memoryStore() });

describe("runTestSet", () => {
  it("runs every test case, stores the run and aggregates the result", async () => {
    const { config, store } = base();
    const notifier = new MemoryNotifier();
    const backend = new DummyBackend();
    const { run, results } = await runTestSet({
      config, store, notifiers: [notifier], specs: [],
      testSet: testSet([{ object: "a", type: "dummy_ok" }, { object: "b", type: "dummy_nok" }, { object: "c", type: "dummy_exception" }]),
      backend: async () => backend,
    });
    expect(results.map((r) => `${r.result}/${r.status}`)).toEqual(["OK/FINISHED", "NOK/FINISHED", "N/A/ERROR"]);
    expect(run).toMatchObject({ status: "FINISHED", result: "ERROR", counts: { total: 3, ok: 1, nok: 1, na: 0, error: 1 } });
    expect(notifier.ofType("run.finished")[0]).toMatchObject({ result: "ERROR", status: "FINISHED" });
    const stored = await store.getRun(run.id);
    expect(stored.run).toEqual(run);
    expect(stored.results).toEqual(results);
    const types = notifier.events.map((e) => e.type);
    expect(types[0]).toBe("run.started");
    expect(types[types.length - 1]).toBe("run.finished");
    expect(notifier.ofType("testcase.finished")).toHaveLength(3);
  });

  it("gives N/A, not OK, for a run with no test cases", async () => {
    const { config, store } = base();
    const { run } = await runTestSet({ config, store, notifiers: [], specs: [], testSet: { ...testSet([]), testcases: [] }, backend: async () => new DummyBackend() });
    expect(run).toMatchObject({ result: "N/A", status: "FINISHED", message: "The test set has no test cases." });
  });

  it("honours the concurrency limit", async () => {
    const { config, store } = base();
    let running = 0;
    let peak = 0;
    const types = builtinTestTypes().register({
      name: "SLOW", requiredSpecs: [], optionalSpecs: [], preconditions: [],
      async execute(ctx) {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        ctx.conclude("OK", "slow");
      },
    });
    const cases = Array.from({ length: 12 }, (_, i) => ({ object: `o${i}`, type: "slow" }));
    const { run } = await runTestSet({ config, store, notifiers: [], specs: [], testTypes: types, concurrency: 3, testSet: testSet(cases), backend: async () => new DummyBackend() });
    expect(run.result).toBe("OK");
    expect(peak).toBe(3);
  });

  it("ends a stuck test case ERROR after the timeout, aborting its signal", async () => {
    const { config, store } = base();
    const backend = new FakeBackend().table("stage_accounts", { columns: [], rows: [] });
    backend.hangs.add("exists");
    const { run, results } = await runTestSet({
      config, store, notifiers: [], timeoutMs: 150,
      specs: [{ type: "schema", object: "stage_accounts", scenario: null, path: "s.yaml", error: null, columns: [{ name: "id", type: null }], primaryKeys: null, partitioning: null, clustering: null }],
      testSet: testSet([{ object: "stage_accounts", type: "schema" }, { object: "x", type: "dummy_ok" }]),
      backend: async () => backend,
    });
    expect(results[0]).toMatchObject({ status: "ERROR", result: "N/A", summary: "Test case timed out after 150 ms." });
    expect(results[1]!.result).toBe("OK");
    expect(backend.calls.find((c) => c.method === "exists")!.signal!.aborted).toBe(true);
    expect(run.status).toBe("FINISHED");
    expect(backend.closed).toBe(1);
  });

  it("stops using a backend that is unreachable: later test cases fail at once, the run is ERROR and says why once", async () => {
    const { config, store } = base();
    const backend = new FakeBackend().table("stage_accounts", { columns: [], rows: [] });
    backend.failures.set("exists", new BackendError("BACKEND_UNREACHABLE", "Cannot reach PostgreSQL at 127.0.0.1:1"));
    const schemaSpec = { type: "schema" as const, object: "stage_accounts", scenario: null, path: "s.yaml", error: null, columns: [{ name: "id", type: null }], primaryKeys: null, partitioning: null, clustering: null };
    const cases = Array.from({ length: 6 }, () => ({ object: "stage_accounts", type: "schema" })).map((c, i) => ({ ...c, scenario: `s${i}` }));
    const { run, results } = await runTestSet({
      config, store, notifiers: [], concurrency: 1, specs: cases.map((c) => ({ ...schemaSpec, scenario: c.scenario })),
      testSet: testSet(cases), backend: async () => backend,
    });
    expect(backend.calls.filter((c) => c.method === "exists")).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: "ERROR", result: "N/A" });
    expect(results[0]!.summary).toMatch(/127.0.0.1:1/);
    for (const later of results.slice(1)) expect(later).toMatchObject({ status: "ERROR", summary: "not run: the backend failed earlier in this run [BACKEND_UNREACHABLE]" });
    expect(run.status).toBe("ERROR");
    expect(run.message).toMatch(/^The backend failed and the run stopped using it: .*127.0.0.1:1/);
    expect(backend.closed).toBe(1);
  });

  it("on abort starts nothing new, stops running test cases at once (their signals abort), and stores an ABORTED run", async () => {
    const { config, store } = base();
    const controller = new AbortController();
    const seen: unknown[] = [];
    const types = builtinTestTypes().register({
      name: "STOPPER", requiredSpecs: [], optionalSpecs: [], preconditions: [],
      async execute(ctx) {
        controller.abort(new RunInterrupted("Ctrl-C"));
        // Like a backend query that ignores nothing: it ends only when its signal aborts.
        if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        seen.push(ctx.signal.reason);
        ctx.conclude("OK", "finished despite the abort");
      },
    });
    const cases = [{ object: "a", type: "stopper" }, { object: "b", type: "dummy_ok" }, { object: "c", type: "dummy_ok" }];
    const { run, results } = await runTestSet({ config, store, notifiers: [], specs: [], testTypes: types, concurrency: 1, signal: controller.signal, testSet: testSet(cases), backend: async () => new DummyBackend() });
    expect(results.map((r) => [r.result, r.status, r.summary])).toEqual([
      ["N/A", "ABORTED", "Stopped: the run was interrupted (Ctrl-C)."],
      ["N/A", "ABORTED", "not started: run aborted"],
      ["N/A", "ABORTED", "not started: run aborted"],
    ]);
    expect(seen).toEqual([expect.any(RunInterrupted)]);
    expect(run).toMatchObject({ status: "ABORTED", result: "N/A", counts: { ok: 0, na: 3 }, message: expect.stringContaining("Run aborted (Ctrl-C)") as string });
    expect((await store.getRun("latest")).run.status).toBe("ABORTED");
  });

  it("stores an ERROR run with every test case ERROR when the backend cannot be created", async () => {
    const { config, store } = base();
    const { run, results } = await runTestSet({
      config, store, notifiers: [], specs: [], testSet: testSet([{ object: "a", type: "dummy_ok" }, { object: "b", type: "schema" }]),
      backend: async () => {
        throw new Error("password authentication failed");
      },
    });
    expect(run).toMatchObject({ status: "ERROR", result: "ERROR", counts: { error: 2 }, message: "The backend could not be created: password authentication failed" });
    expect(results.every((r) => r.status === "ERROR" && r.summary === run.message)).toBe(true);
    expect((await store.getRun(run.id)).results).toHaveLength(2);
  });

  it("turns a failed result write into an ERROR test case and carries on", async () => {
    const { config, store, storage } = base();
    storage.failWrites = (key) => key.includes("000001-");
    const { run, results } = await runTestSet({ config, store, notifiers: [], specs: [], testSet: testSet([{ object: "a", type: "dummy_ok" }, { object: "b", type: "dummy_ok" }]), backend: async () => new DummyBackend() });
    expect(results[0]).toMatchObject({ status: "ERROR", result: "N/A" });
    expect(results[0]!.summary).toMatch(/^The result could not be stored: disk full writing results\/.*\(it was OK: This test case always returns OK.\)$/);
    expect(results[1]!.result).toBe("OK");
    expect(run.status).toBe("FINISHED");
  });

  it("reports an unknown test type as ERROR", async () => {
    const { config, store } = base();
    const { results } = await runTestSet({ config, store, notifiers: [], specs: [], testSet: testSet([{ object: "a", type: "nonsense" }]), backend: async () => new DummyBackend() });
    expect(results[0]).toMatchObject({ status: "ERROR", summary: expect.stringMatching(/^Unknown test type NONSENSE; known: SCHEMA, ROWCOUNT/) as string });
  });

  it("tolerates a failing notifier: warns once, then ignores it", async () => {
    const { config, store } = base();
    let calls = 0;
    const broken: Notifier = {
      notify() {
        calls++;
        throw new Error("webhook down");
      },
      close: async () => undefined,
    };
    const memory = new MemoryNotifier();
    const { run } = await runTestSet({ config, store, notifiers: [broken, memory], specs: [], testSet: testSet([{ object: "a", type: "dummy_ok" }]), backend: async () => new DummyBackend() });
    expect(run.result).toBe("OK");
    expect(calls).toBe(1);
    const warnings = memory.ofType("warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain("webhook down");
    expect(memory.events.filter((e: RunEvent) => e.type === "run.finished")).toHaveLength(1);
  });

  it("refuses an undeclared stage or instance before running anything", async () => {
    const { config, store } = base();
    const opts = { config, store, notifiers: [], specs: [], testSet: testSet([{ object: "a", type: "dummy_ok" }]), backend: async () => new DummyBackend() };
    await expect(runTestSet({ ...opts, stage: "prod" })).rejects.toMatchObject({ code: "USAGE" });
    await expect(runTestSet({ ...opts, instance: "main" })).rejects.toThrow(/Instance "main" is not declared for stage "test"/);
    const { run } = await runTestSet({ ...opts, stage: "uat", instance: "main" });
    expect(run).toMatchObject({ stage: "uat", instance: "main", result: "OK" });
  });
});
