import type { ResultStore } from "../store/result-store.js";
import { testCaseKey, type Selection } from "./selection.js";

/**
 * The durations stored for the selection's test cases, by test case key: for each test set,
 * its most recent runs (at most `runsPerTestSet`, newest first; the newest duration wins), so
 * the cost is bounded by the number of test sets, not by the size of the store. Shard runs hold
 * only part of a test set, which is why more than one run is read. A run that cannot be read
 * is passed over: history only balances the split, it never decides what runs.
 */
export async function storedDurations(store: ResultStore, selection: Selection, runsPerTestSet = 4): Promise<Map<string, number>> {
  const durations = new Map<string, number>();
  for (const set of selection.testSets) {
    const wanted = new Set(set.testcases.map((t) => t.id));
    let listed;
    try {
      listed = await store.listRuns({ domain: set.domain, testSet: set.name, limit: runsPerTestSet });
    } catch {
      continue;
    }
    for (const entry of listed) {
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
