import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DummyBackend } from "@assay/backend-dummy";
import { isAssayError } from "@assay/ports";
import { TestRun, type TestCaseResult, type TestSet } from "../src/model.js";
import { runTestSet } from "../src/runner/run-test-set.js";
import {
  defaultBlobPath,
  mergeShards,
  parseShardSpec,
  planShards,
  prepareShard,
  readBlob,
  selectionKeys,
  selectionOf,
  shardBlobOf,
  storeMergedRuns,
  storedDurations,
  testCaseKey,
  writeBlob,
  type LoadedBlob,
  type ShardBlob,
} from "../src/shard/index.js";
import type { ResultStore } from "../src/store/result-store.js";
import { makeConfig } from "./support/config.js";
import { testSet } from "./support/run-one.js";
import { memoryStore } from "./support/stores.js";

const keys = (n: number, prefix = "k") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Durations from 1 ms to about 2 s, skewed: a few long test cases and many short ones. */
function unevenDurations(list: string[]): Map<string, number> {
  return new Map(list.map((k, i) => [k, Math.round(2000 / (1 + (i % 37)) + ((i * 7919) % 113))]));
}

function caught(work: () => unknown): Error & { code?: string } {
  try {
    work();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected an error");
}

describe("parseShardSpec", () => {
  it("reads i/n and refuses anything else with a usage error", () => {
    expect(parseShardSpec("2/3")).toEqual({ index: 2, total: 3 });
    expect(parseShardSpec(" 1 / 1 ")).toEqual({ index: 1, total: 1 });
    for (const bad of ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1.5/3"]) {
      const error = caught(() => parseShardSpec(bad));
      expect(isAssayError(error) && error.code).toBe("USAGE");
      expect(error.message).toContain(bad);
    }
  });
});

describe("selectionOf", () => {
  const a = testSet([{ object: "x", type: "dummy_ok" }, { object: "y", type: "dummy_nok" }], "A");
  const b = testSet([{ object: "x", type: "dummy_ok" }], "B");
  it("orders test sets by name and has the same fingerprint whatever the order given", () => {
    const one = selectionOf([b, a]);
    const two = selectionOf([a, b, a]);
    expect(one.testSets.map((s) => s.name)).toEqual(["A", "B"]);
    expect(one.fingerprint).toBe(two.fingerprint);
    expect(selectionKeys(one)).toEqual([testCaseKey("A", "x_DUMMY_OK"), testCaseKey("A", "y_DUMMY_NOK"), testCaseKey("B", "x_DUMMY_OK")]);
  });
  it("changes the fingerprint with the coordinates and the test cases", () => {
    const base = selectionOf([a, b]).fingerprint;
    expect(selectionOf([a, b], { instance: "beta" }).fingerprint).not.toBe(base);
    expect(selectionOf([a]).fingerprint).not.toBe(base);
  });
});

describe("planShards", () => {
  function expectPartition(plan: ReturnType<typeof planShards>, all: string[]) {
    const placed = plan.shards.flat();
    expect(placed).toHaveLength(all.length);
    expect(new Set(placed)).toEqual(new Set(all));
  }

  it("puts every test case in exactly one shard, whatever the history", () => {
    const all = keys(97);
    const histories = [new Map<string, number>(), unevenDurations(all), unevenDurations(all.slice(0, 30)), new Map(all.map((k) => [k, 0]))];
    for (const history of histories) for (const n of [1, 2, 3, 7, 200]) expectPartition(planShards(all, n, history), all);
  });

  it("is deterministic: the same split whatever the order of the test cases", () => {
    const all = keys(120);
    const history = unevenDurations(all.slice(0, 60));
    const reversed = [...all].reverse();
    expect(planShards(reversed, 4, history).shards).toEqual(planShards(all, 4, history).shards);
    expect(planShards(reversed, 4, history).fingerprint).toBe(planShards(all, 4, history).fingerprint);
  });

  it("splits evenly by count without history, in an order given by the hash of the id", () => {
    const plan = planShards(keys(601), 4);
    expect(plan.shards.map((s) => s.length).sort()).toEqual([150, 150, 150, 151]);
    expect(plan.known).toBe(0);
    // Not by position: shard 1 is not simply the first, fifth, ... test case.
    expect(plan.shards[0]!.slice(0, 4)).not.toEqual(["k0", "k4", "k8", "k12"]);
  });

  it("balances by stored duration: the longest shard is close to the ideal", () => {
    const all = keys(600);
    const history = unevenDurations(all);
    const total = [...history.values()].reduce((x, y) => x + y, 0);
    const plan = planShards(all, 4, history);
    expect(plan.known).toBe(600);
    expect(Math.max(...plan.loads) / (total / 4)).toBeLessThanOrEqual(1.15);
    const blind = planShards(all, 4);
    const blindLoads = blind.shards.map((s) => s.reduce((sum, k) => sum + history.get(k)!, 0));
    expect(Math.max(...plan.loads)).toBeLessThanOrEqual(Math.max(...blindLoads));
  });

  it("weighs a test case without history as the mean of the known ones", () => {
    const history = new Map([["a", 100], ["b", 300]]);
    const plan = planShards(["a", "b", "c"], 2, history);
    expect(plan.loads.reduce((x, y) => x + y, 0)).toBe(600);
    expect(plan.known).toBe(2);
  });
});

function config() {
  return makeConfig();
}

async function runAll(store: ResultStore, sets: TestSet[], shard?: Awaited<ReturnType<typeof prepareShard>>) {
  const runs: Array<{ run: TestRun; results: TestCaseResult[] }> = [];
  for (const set of shard ? shard.testSets : sets) {
    runs.push(await runTestSet({ config: config(), testSet: set, store, notifiers: [], specs: [], backend: async () => new DummyBackend(), ...(shard ? { shard: shard.run } : {}) }));
  }
  return runs;
}

const SETS = [
  testSet(Array.from({ length: 7 }, (_, i) => ({ object: `o${i}`, type: i % 3 === 0 ? "dummy_nok" : "dummy_ok" })), "Alpha"),
  testSet(Array.from({ length: 5 }, (_, i) => ({ object: `p${i}`, type: i === 4 ? "dummy_exception" : "dummy_ok" })), "Beta"),
  testSet([], "Empty"),
];

/** What must not differ between an unsharded run and a merged one. */
function essence(runs: Array<{ run: TestRun; results: TestCaseResult[] }>) {
  return runs
    .map(({ run, results }) => ({
      testSet: run.testSet,
      at: [run.domain, run.stage, run.instance],
      status: run.status,
      result: run.result,
      counts: run.counts,
      testcases: run.testcases,
      message: run.message,
      results: results.map((r) => ({ id: r.id, result: r.result, status: r.status, summary: r.summary, facts: r.facts, details: r.details, diff: r.diff })),
    }))
    .sort((x, y) => (x.testSet.name < y.testSet.name ? -1 : 1));
}

async function shardBlobs(store: ResultStore | null, n: number, sets = SETS): Promise<LoadedBlob[]> {
  const blobs: LoadedBlob[] = [];
  for (let i = 1; i <= n; i++) {
    const runStore = store ?? memoryStore().store;
    const prepared = await prepareShard(sets, { index: i, total: n }, { store });
    const runs = await runAll(runStore, sets, prepared);
    expect(runs.every(({ run }) => run.shard?.index === i && run.shard.total === n)).toBe(true);
    blobs.push({ file: `shard-${i}.json`, blob: shardBlobOf(prepared, runs) });
  }
  return blobs;
}

describe("sharded runs and merge", () => {
  it("3 shards merged equal one unsharded run: ids, results, counts, order", async () => {
    const { store } = memoryStore();
    const whole = await runAll(store, SETS);
    const blobs = await shardBlobs(store, 3);
    expect(blobs.map((b) => b.blob.runs.flatMap((r) => r.results).length).reduce((x, y) => x + y, 0)).toBe(12);
    const merged = mergeShards(blobs);
    expect(essence(merged)).toEqual(essence(whole));
    for (const { run, results } of merged) {
      expect(run.merged?.shards).toBe(3);
      expect(results.every((r) => r.runId === run.id)).toBe(true);
    }
    await storeMergedRuns(store, merged);
    for (const { run } of merged) {
      const stored = await store.getRun(run.id);
      expect(essence([stored])).toEqual(essence(merged.filter((m) => m.run.id === run.id)));
      expect(stored.run.merged?.runIds.length).toBeGreaterThan(run.testcases.length > 0 ? 0 : -1);
    }
  });

  it("reads durations from the newest runs of each test set only", async () => {
    const { store, storage } = memoryStore();
    for (let i = 0; i < 6; i++) await runAll(store, SETS.slice(0, 1));
    const selection = selectionOf(SETS.slice(0, 1));
    const readsBefore = storage.reads;
    const durations = await storedDurations(store, selection, 2, 4);
    expect(durations.size).toBe(7);
    // At most 4 headers for the listing; the newest run holds every test case: its header and 7 results.
    expect(storage.reads - readsBefore).toBeLessThanOrEqual(4 + 1 + 7);
  });

  it("plans from unsharded and merged runs, never from shard runs, so early shards do not move later ones", async () => {
    const { store } = memoryStore();
    const selection = selectionOf(SETS.slice(0, 1));
    await shardBlobs(store, 2, SETS.slice(0, 1));
    expect((await storedDurations(store, selection)).size).toBe(0);
    await runAll(store, SETS.slice(0, 1));
    expect((await storedDurations(store, selection)).size).toBe(7);
  });

  it("shards planned from a stored history record the same plan and merge", async () => {
    const { store } = memoryStore();
    await runAll(store, SETS);
    const blobs = await shardBlobs(store, 2);
    expect(blobs[0]!.blob.plan.known).toBe(12);
    expect(new Set(blobs.map((b) => b.blob.plan.fingerprint)).size).toBe(1);
    expect(mergeShards(blobs).map((m) => m.run.counts.total)).toEqual([7, 5, 0]);
  });

  it("refuses missing, duplicate and foreign shards, naming the files", async () => {
    const blobs = await shardBlobs(null, 3);
    const error = (given: LoadedBlob[]) => {
      const e = caught(() => mergeShards(given));
      expect(isAssayError(e) && e.code).toBe("SHARDS_MISMATCH");
      return e.message;
    };
    expect(error([blobs[0]!, blobs[2]!])).toMatch(/Missing shard 2\/3.*shard-1\.json.*shard-3\.json/);
    expect(error([...blobs, { ...blobs[1]!, file: "copy.json" }])).toMatch(/shard 2\/3 in shard-2\.json and copy\.json/);
    const other = await shardBlobs(null, 3, SETS.slice(0, 2));
    expect(error([blobs[0]!, blobs[1]!, { ...other[2]!, file: "other-3.json" }])).toMatch(/different selections.*other-3\.json/);
    const twoWay = await shardBlobs(null, 2);
    expect(error([blobs[0]!, { ...twoWay[1]!, file: "two.json" }])).toMatch(/different numbers of shards.*two\.json/);
    expect(error([])).toMatch(/No shard blobs/);
  });

  it("refuses a test case present in two blobs or in none", async () => {
    const blobs = await shardBlobs(null, 2);
    const doubled: ShardBlob = structuredClone(blobs[1]!.blob);
    doubled.runs.push(structuredClone(blobs[0]!.blob.runs[0]!));
    expect(caught(() => mergeShards([blobs[0]!, { file: "b.json", blob: doubled }])).message).toMatch(/more than one result: .* in shard-1\.json and b\.json/);
    const emptied: ShardBlob = structuredClone(blobs[1]!.blob);
    emptied.runs[0]!.results.pop();
    expect(caught(() => mergeShards([blobs[0]!, { file: "c.json", blob: emptied }])).message).toMatch(/1 selected test case has no result in any blob/);
  });

  it("refuses shards split from different histories", async () => {
    const all = SETS.flatMap((set) => set.testcases.map((e) => testCaseKey(set.name, `${e.object}_${e.type.toUpperCase()}`)));
    // Another machine's store: long durations for a few test cases move them between shards.
    const elsewhere = planShards(all, 2, new Map(all.slice(0, 4).map((k, i) => [k, 10_000 * (i + 1)])));
    const blobs = await shardBlobs(null, 2);
    expect(elsewhere.fingerprint).not.toBe(blobs[0]!.blob.plan.fingerprint);
    const moved: ShardBlob = structuredClone(blobs[1]!.blob);
    moved.plan.fingerprint = elsewhere.fingerprint;
    expect(caught(() => mergeShards([blobs[0]!, { file: "elsewhere-2.json", blob: moved }])).message).toMatch(/different duration histories.*elsewhere-2\.json/);
  });

  it("keeps the status of an aborted or failed shard in the merged run", async () => {
    const blobs = await shardBlobs(null, 2);
    const failed: ShardBlob = structuredClone(blobs[1]!.blob);
    failed.runs[0]!.run.status = "ERROR";
    failed.runs[0]!.run.message = "The backend could not be created: boom";
    const merged = mergeShards([blobs[0]!, { file: "f.json", blob: failed }]);
    const hit = merged.find((m) => m.run.testSet.name === failed.runs[0]!.run.testSet.name)!;
    expect(hit.run.status).toBe("ERROR");
    expect(hit.run.message).toBe("shard 2/2: The backend could not be created: boom");
  });
});

describe("shard blobs", () => {
  it("round-trip through a file, written atomically at the default path", async () => {
    const [loaded] = await shardBlobs(null, 1);
    const root = mkdtempSync(join(tmpdir(), "assay-blob-"));
    const file = defaultBlobPath(root, loaded!.blob.selection.fingerprint, loaded!.blob.shard);
    expect(file).toMatch(/\.assay\/blobs\/[0-9a-f]{12}-1-of-1\.json$/);
    await writeBlob(file, loaded!.blob);
    expect(await readBlob(file)).toEqual(loaded!.blob);
  });

  it("refuses a file that is not a blob, naming it", async () => {
    const root = mkdtempSync(join(tmpdir(), "assay-blob-"));
    const cases: Array<[string, string, RegExp]> = [
      ["trunc.json", '{"format": "assay-shard-blob", "vers', /not JSON/],
      ["other.json", '{"runs": []}', /not a shard blob/],
      ["bad.json", '{"format": "assay-shard-blob", "version": 1}', /not valid/],
    ];
    for (const [name, text, message] of cases) {
      writeFileSync(join(root, name), text);
      const error = await readBlob(join(root, name)).then(() => null, (e: unknown) => e as Error & { code?: string; toParagraph(): string });
      expect(error?.code).toBe("BLOB_INVALID");
      expect(error?.message).toMatch(message);
      expect(error?.toParagraph()).toContain(name);
    }
    await expect(readBlob(join(root, "missing.json"))).rejects.toThrow(/cannot be read/);
  });
});

describe("TestRun", () => {
  it("reads runs stored before shards existed, and keeps the shard fields of new ones", () => {
    const old = { id: "r", testSet: { name: "A", file: "a.yaml", labels: [] }, domain: "d", stage: "s", instance: "i", status: "FINISHED", result: "OK", startedAt: "2026-01-01T00:00:00.000Z", endedAt: null, counts: { total: 0, ok: 0, nok: 0, na: 0, error: 0 }, testcases: [], message: null };
    expect(TestRun.parse(old).shard).toBeUndefined();
    expect(TestRun.parse({ ...old, shard: { index: 1, total: 2, selection: "f" } }).shard).toEqual({ index: 1, total: 2, selection: "f" });
  });
});
