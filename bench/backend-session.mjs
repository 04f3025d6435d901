#!/usr/bin/env node
// Why the runner creates one backend per run (pooled connections) rather than one per test case:
// the same calls a test case makes (list objects, count rows), on the demo warehouse in DuckDB,
// through a fresh backend each time versus one shared backend. Baseline and candidate in one run.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const { generateDemoProject } = await import("../packages/backend-demo/dist/index.js");
const { default: duckdb, createDuckDbBackend } = await import("../packages/backend-duckdb/dist/index.js");

const N = Number(process.env.ASSAY_BENCH_CASES ?? 40);
const dir = await mkdtemp(path.join(os.tmpdir(), "assay-session-bench-"));
try {
  await generateDemoProject({ dir });
  const context = { projectRoot: dir, warn: () => {} };
  const options = (await duckdb.optionsSchema["~standard"].validate({})).value;
  const at = { domain: "payments", stage: "test", instance: "alpha" };
  const testCase = async (backend) => {
    await backend.listTestObjects(at);
    await backend.countRows({ ...at, name: "core_account_payments" });
  };

  let start = performance.now();
  for (let i = 0; i < N; i++) {
    const backend = await createDuckDbBackend(options, context);
    await testCase(backend);
    await backend.close();
  }
  const perCase = (performance.now() - start) / N;

  const shared = await createDuckDbBackend(options, context);
  await testCase(shared);
  start = performance.now();
  for (let i = 0; i < N; i++) await testCase(shared);
  const pooled = (performance.now() - start) / N;
  await shared.close();

  console.log(`backend per test case:      ${perCase.toFixed(1)} ms per test case (${N} test cases)`);
  console.log(`one pooled backend per run: ${pooled.toFixed(1)} ms per test case`);
  console.log(`per test case / pooled = ${(perCase / pooled).toFixed(1)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
