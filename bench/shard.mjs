#!/usr/bin/env node
// Shard balance benchmark: 600 DUMMY_OK test cases in 6 test sets with known, uneven durations
// (seeded: most take 20-500 ms, one in ten 2-20 s, a few 30-60 s), stored as one earlier run per
// test set in a storage-file results store in a temp folder. Each of 4 shards is planned as
// `assay run --shard i/4` plans it (prepareShard: reads the stored durations, longest first onto
// the least-loaded shard). Prints each shard's expected time, the longest shard relative to the
// ideal (total / 4; target ≤ 1.15), and the same for the split without history (by hash, even
// by count), which is the baseline. Also checks that every test case lands in exactly one shard.
// Needs built packages: pnpm turbo run build --filter=@assay/core...
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ResultStore, newRunId, prepareShard, testCaseKey } from "../packages/core/dist/index.js";
import { JsonFormatter } from "../packages/formatter-json/dist/index.js";
import { FileStorage } from "../packages/storage-file/dist/index.js";

const SHARDS = 4;
const SETS = 6;
const PER_SET = 100;

/** mulberry32: the same "random" durations on every machine. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(13);
function duration() {
  const r = random();
  if (r < 0.01) return Math.round(30_000 + random() * 30_000);
  if (r < 0.11) return Math.round(2_000 + random() * 18_000);
  return Math.round(20 + random() * 480);
}

const testSets = Array.from({ length: SETS }, (_, s) => ({
  name: `Bench ${s + 1}`, description: "", file: `testsets/bench-${s + 1}.yaml`, domain: "payments", stage: "test", instance: "alpha", labels: [],
  testcases: Array.from({ length: PER_SET }, (_, i) => ({ object: `object_${s}_${i}`, type: "DUMMY_OK", scenario: null, line: i + 1 })),
}));
const known = new Map();
for (const set of testSets) for (const t of set.testcases) known.set(testCaseKey(set.name, `${t.object}_DUMMY_OK`), duration());

/** One finished earlier run per test set, with the known durations, through the ResultStore API. */
async function storeHistory(store) {
  const start = Date.parse("2026-01-01T00:00:00Z");
  for (const [s, set] of testSets.entries()) {
    const id = newRunId(new Date(start + s));
    const at = { domain: set.domain, stage: set.stage, instance: set.instance };
    const testcases = set.testcases.map((t) => ({ id: `${t.object}_DUMMY_OK`, object: t.object, type: t.type, scenario: null }));
    const run = {
      id, testSet: { name: set.name, file: set.file, labels: [] }, ...at, status: "FINISHED", result: "OK", startedAt: new Date(start).toISOString(), endedAt: null,
      counts: { total: PER_SET, ok: PER_SET, nok: 0, na: 0, error: 0 }, testcases, message: null,
    };
    await store.startRun(run);
    for (const t of testcases) {
      const durationMs = known.get(testCaseKey(set.name, t.id));
      await store.saveResult({
        id: t.id, runId: id, object: t.object, type: t.type, scenario: null, at, result: "OK", status: "FINISHED", summary: "This test case always returns OK.",
        specs: [], facts: [], details: [], diff: {}, startedAt: new Date(start).toISOString(), endedAt: new Date(start + durationMs).toISOString(), durationMs,
      });
    }
    await store.finishRun({ ...run, endedAt: new Date(start + 60_000).toISOString() });
  }
}

async function split(store) {
  const t = performance.now();
  const shards = [];
  for (let i = 1; i <= SHARDS; i++) shards.push(await prepareShard(testSets, { index: i, total: SHARDS }, { store }));
  const ms = (performance.now() - t) / SHARDS;
  const loads = shards.map((s) => s.keys.reduce((sum, k) => sum + known.get(k), 0));
  const all = shards.flatMap((s) => s.keys);
  if (all.length !== known.size || new Set(all).size !== known.size) throw new Error(`not a partition: ${all.length} placed, ${new Set(all).size} distinct, ${known.size} selected`);
  if (new Set(shards.map((s) => s.plan.fingerprint)).size !== 1) throw new Error("the shards planned different splits");
  return { loads, counts: shards.map((s) => s.keys.length), known: shards[0].plan.known, ms };
}

const root = mkdtempSync(join(tmpdir(), "assay-bench-shard-"));
try {
  const store = new ResultStore(new FileStorage(`file:${root}`, join(root, ".assay")), new JsonFormatter());
  await storeHistory(store);
  const total = [...known.values()].reduce((a, b) => a + b, 0);
  const ideal = total / SHARDS;
  const longest = Math.max(...known.values());
  const informed = await split(store);
  const blind = await split(null);
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`${known.size} test cases, ${SHARDS} shards: total ${s(total)}, ideal ${s(ideal)} per shard, longest single test case ${s(longest)}`);
  for (const [name, r] of [["stored history", informed], ["no history (hash, by count)", blind]]) {
    console.log(`${name.padEnd(28)} shards ${r.loads.map(s).join(" / ")} (test cases ${r.counts.join("/")}), durations known for ${r.known}; planning ${r.ms.toFixed(1)} ms per shard`);
  }
  const ratio = Math.max(...informed.loads) / ideal;
  const blindRatio = Math.max(...blind.loads) / ideal;
  console.log(`longest shard / ideal: ${ratio.toFixed(3)} with history (target ≤ 1.15), ${blindRatio.toFixed(3)} without (baseline)`);
  if (ratio > 1.15) process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
