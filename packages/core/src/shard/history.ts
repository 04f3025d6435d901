import type { ResultStore } from "../store/result-store.js";
import { testCaseKey, type Selection } from "./selection.js";

/**
 * The durations stored for the selection's test cases, by test case key: for each test set,
 * its newest runs that are not shard runs (an unsharded run, or the run `assay merge` built),
 * newest duration first. Shard runs are passed over on purpose: a shard that finishes early
 * stores its run while the others may still be planning, and if they read it their plans would
 * differ; merged runs are stored only after every shard ended. Reads at most
 * `headersPerTestSet` run headers and `runsPerTestSet` runs per test set, whatever the size of
 * the store. A run that cannot be read is passed over: history only balances the split, it
 * never decides what runs.
 */
export async function storedDurations(store: ResultStore, selection: Selection, runsPerTestSet = 2, headersPerTestSet = 32): Promise<Map<string, number>> {
  const durations = new Map<string, number>();
  for (const set of selection.testSets) {
    const wanted = new Set(set.testcases.map((t) => t.id));
    let listed;
    try {
      listed = await store.listRuns({ domain: set.domain, testSet: set.name, limit: headersPerTestSet });
    } catch {
      continue;
    }
    const usable = listed.filter((entry) => entry.run !== null && entry.run.shard === undefined).slice(0, runsPerTestSet);
    for (const entry of usable) {
      if (wanted.size === 0) break;
      let results;
      try {
        ({ results } = await store.getRun(entry.id));
      } catch {
        continue;
      }
      for (const result of results) {
        if (!wanted.has(result.id) || result.durationMs === null) continue;
        durations.set(testCaseKey(set.name, result.id), result.durationMs);
        wanted.delete(result.id);
      }
    }
  }
  return durations;
}
