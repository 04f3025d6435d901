#!/usr/bin/env node
// Store benchmark: runs of 100 and 2,000 DUMMY_OK test cases through runTestSet into a
// storage-file results store in a temp folder. Prints the time per stored result (the mean
// duration of ResultStore.saveResult, and the whole run's time per test case) at each size
// and their ratio: about 1 means storing the 2,000th result costs what the 1st did.
// Needs built packages: pnpm turbo run build --filter=@assay/core...
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ResultStore, runTestSet } from "../packages/core/dist/index.js";
import { DummyBackend } from "../packages/backend-dummy/dist/index.js";
import { JsonFormatter } from "../packages/formatter-json/dist/index.js";
import { FileStorage } from "../packages/storage-file/dist/index.js";

function config(root) {
  const domain = {
    name: "payments", backend: { use: "dummy", options: {} }, stages: { test: ["alpha"] }, specs: { test: join(root, "specs") },
    compare: { tolerance: { default: 0, columns: {} }, maxDiffRows: 100 }, schema: {},
  };
  return {
    file: join(root, "assay.config.yaml"), root, plugins: [], backend: domain.backend, storage: { location: "file:.assay", options: {} },
    format: "json", notifiers: [], run: { concurrency: 4, timeoutMs: 60_000 }, testsets: "testsets", domains: { payments: domain },
  };
}

async function measure(n) {
  const root = mkdtempSync(join(tmpdir(), "assay-bench-store-"));
  try {
    const store = new ResultStore(new FileStorage(`file:${root}`, join(root, ".assay")), new JsonFormatter());
    let saveMs = 0;
    const save = store.saveResult.bind(store);
    store.saveResult = async (result) => {
      const t = performance.now();
      await save(result);
      saveMs += performance.now() - t;
    };
    const testcases = Array.from({ length: n }, (_, i) => ({ object: `object_${i}`, type: "DUMMY_OK", scenario: null, line: i + 1 }));
    const testSet = { name: `Bench ${n}`, description: "", file: "testsets/bench.yaml", domain: "payments", stage: "test", instance: "alpha", labels: [], testcases };
    const start = performance.now();
    const { run } = await runTestSet({ config: config(root), testSet, backend: async () => new DummyBackend(), store, notifiers: [], specs: [] });
    const totalMs = performance.now() - start;
    if (run.counts.ok !== n) throw new Error(`expected ${n} OK results, got ${JSON.stringify(run.counts)}`);
    return { n, savePerResult: saveMs / n, runPerResult: totalMs / n };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await measure(50); // warm-up: JIT, fs caches
const small = await measure(100);
const large = await measure(2000);
const f = (ms) => `${ms.toFixed(3)} ms`;
for (const r of [small, large]) {
  console.log(`${String(r.n).padStart(5)} test cases: saveResult ${f(r.savePerResult)} per result, whole run ${f(r.runPerResult)} per test case`);
}
console.log(`ratio 2,000 / 100: saveResult ${(large.savePerResult / small.savePerResult).toFixed(2)}, whole run ${(large.runPerResult / small.runPerResult).toFixed(2)} (target ≈ 1: no growth)`);
