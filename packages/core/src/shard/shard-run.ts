import { testCaseIdentifier, type ShardOfRun, type TestCaseResult, type TestRun, type TestSet } from "../model.js";
import type { ResultStore } from "../store/result-store.js";
import { BLOB_FORMAT, type ShardBlob } from "./blob.js";
import { storedDurations } from "./history.js";
import { planShards, type ShardPlan } from "./plan.js";
import { selectionKeys, selectionOf, testCaseKey, type Selection } from "./selection.js";
import type { ShardSpec } from "./shard-spec.js";

/** What one shard runs: its part of each test set, and what to record with its runs and blob. */
export interface PreparedShard {
  spec: ShardSpec;
  selection: Selection;
  plan: ShardPlan;
  /** The shard's test cases by test set, in selection order; test sets with none are left out. */
  testSets: TestSet[];
  /** Recorded with each of the shard's runs. */
  run: ShardOfRun;
  /** The shard's test case keys. */
  keys: string[];
}

/**
 * Plans the split of the selected test sets from the durations in the store (or from none
 * with `history: false`) and keeps this shard's part. Every shard of a selection computes the
 * same plan when it reads the same store.
 */
export async function prepareShard(
  testSets: readonly TestSet[],
  spec: ShardSpec,
  options: { store: ResultStore | null; stage?: string; instance?: string },
): Promise<PreparedShard> {
  const selection = selectionOf(testSets, options);
  const durations = options.store ? await storedDurations(options.store, selection) : new Map<string, number>();
  const plan = planShards(selectionKeys(selection), spec.total, durations);
  const keys = plan.shards[spec.index - 1]!;
  const mine = new Set(keys);
  const byName = new Map(testSets.map((s) => [s.name, s]));
  const parts = selection.testSets
    .map((selected) => {
      const set = byName.get(selected.name)!;
      const testcases = set.testcases.filter((e) => mine.has(testCaseKey(set.name, testCaseIdentifier({ ...e, type: e.type.toUpperCase() }))));
      return { ...set, testcases };
    })
    .filter((set) => set.testcases.length > 0);
  return { spec, selection, plan, testSets: parts, run: { ...spec, selection: selection.fingerprint }, keys };
}

/** The self-contained file a shard hands to `assay merge`. */
export function shardBlobOf(prepared: PreparedShard, runs: ReadonlyArray<{ run: TestRun; results: TestCaseResult[] }>, now: Date = new Date()): ShardBlob {
  return {
    format: BLOB_FORMAT,
    version: 1,
    createdAt: now.toISOString(),
    shard: { index: prepared.spec.index, total: prepared.spec.total },
    selection: { fingerprint: prepared.selection.fingerprint, testSets: prepared.selection.testSets },
    plan: { fingerprint: prepared.plan.fingerprint, known: prepared.plan.known, testCases: prepared.keys },
    runs: runs.map(({ run, results }) => ({ run, results })),
  };
}
