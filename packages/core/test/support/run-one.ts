import type { Backend } from "@assay/ports";
import { MemoryNotifier } from "@assay/notifier-memory";
import type { AssayConfig, ResolvedDomain } from "../../src/config/schema.js";
import type { TestCaseResult, TestSet } from "../../src/model.js";
import { runTestSet, type RunOptions } from "../../src/runner/run-test-set.js";
import { makeConfig } from "./config.js";
import { writeTree } from "./files.js";
import { memoryStore } from "./stores.js";

export function testSet(testcases: { object: string; type: string; scenario?: string | null }[], name = "Unit"): TestSet {
  return {
    name,
    description: "",
    file: "testsets/unit.yaml",
    domain: "payments",
    stage: "test",
    instance: "alpha",
    labels: [],
    testcases: testcases.map((t, i) => ({ object: t.object, type: t.type, scenario: t.scenario ?? null, line: i + 1 })),
  };
}

/** Runs one test case with spec files written to a fresh project; returns its result and the run's events. */
export async function runOne(
  backend: Backend,
  testcase: { object: string; type: string; scenario?: string | null },
  specFiles: Record<string, string | Uint8Array> = {},
  options: { domain?: Partial<ResolvedDomain>; run?: Partial<RunOptions>; root?: string; config?: Partial<AssayConfig> } = {},
): Promise<{ result: TestCaseResult; notifier: MemoryNotifier }> {
  const config = { ...makeConfig({ domain: options.domain, root: options.root }), ...options.config };
  writeTree(config.domains.payments!.specs.test!, specFiles);
  const notifier = new MemoryNotifier();
  const { store } = memoryStore();
  const { results } = await runTestSet({
    config,
    testSet: testSet([testcase]),
    backend: async () => backend,
    store,
    notifiers: [notifier],
    ...options.run,
  });
  return { result: results[0]!, notifier };
}
