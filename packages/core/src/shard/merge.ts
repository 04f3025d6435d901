import { ConfigError } from "@assay/ports";
import type { TestCaseResult, TestRun } from "../model.js";
import { countResults, runResult } from "../runner/counts.js";
import type { ResultStore } from "../store/result-store.js";
import { newRunId } from "../store/run-id.js";
import type { ShardBlob } from "./blob.js";
import { testCaseKey, type Selection } from "./selection.js";

export interface LoadedBlob {
  /** Where the blob was read from: named in every error. */
  file: string;
  blob: ShardBlob;
}

export interface MergedRun {
  run: TestRun;
  results: TestCaseResult[];
}

function mismatch(message: string, fix: string): ConfigError {
  return new ConfigError("SHARDS_MISMATCH", message, { fix });
}

function groupFiles<T>(blobs: readonly LoadedBlob[], by: (b: LoadedBlob) => T, show: (value: T) => string): string {
  const groups = new Map<T, string[]>();
  for (const b of blobs) groups.set(by(b), [...(groups.get(by(b)) ?? []), b.file]);
  return [...groups].map(([value, files]) => `${show(value)}: ${files.join(", ")}`).join("; ");
}

/** Throws SHARDS_MISMATCH unless the blobs are exactly shards 1..n of one split of one selection. */
function checkShards(blobs: readonly LoadedBlob[]): void {
  if (blobs.length === 0) throw mismatch("No shard blobs were given", "Pass every shard's blob file, or the folder they were downloaded to.");
  const selections = new Set(blobs.map((b) => b.blob.selection.fingerprint));
  if (selections.size > 1) {
    throw mismatch(
      `The blobs are shards of different selections (${groupFiles(blobs, (b) => b.blob.selection.fingerprint, (f) => `selection ${f.slice(0, 12)}`)})`,
      "Every shard must run the same test sets with the same --stage/--instance and test set files; merge the blobs of one CI run only.",
    );
  }
  const totals = new Set(blobs.map((b) => b.blob.shard.total));
  if (totals.size > 1) {
    throw mismatch(
      `The blobs come from splits into different numbers of shards (${groupFiles(blobs, (b) => b.blob.shard.total, (n) => `${n} shards`)})`,
      "Merge the blobs of one CI run only: every job must pass the same n to --shard i/n.",
    );
  }
  const plans = new Set(blobs.map((b) => b.blob.plan.fingerprint));
  if (plans.size > 1) {
    throw mismatch(
      `The shards were split from different duration histories, so their test cases may overlap or leave gaps (${groupFiles(blobs, (b) => b.blob.plan.fingerprint, (f) => `split ${f.slice(0, 12)}`)})`,
      "Give every shard job the same results store (restore the same cache of .assay, or use a shared storage location), then run the shards again.",
    );
  }
  const total = [...totals][0]!;
  const byIndex = new Map<number, string[]>();
  for (const b of blobs) byIndex.set(b.blob.shard.index, [...(byIndex.get(b.blob.shard.index) ?? []), b.file]);
  const duplicates = [...byIndex].filter(([, files]) => files.length > 1);
  if (duplicates.length > 0) {
    throw mismatch(
      `Duplicate shards: ${duplicates.map(([i, files]) => `shard ${i}/${total} in ${files.join(" and ")}`).join("; ")}`,
      "Pass each shard's blob once.",
    );
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw mismatch(
      `Missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${total}`).join(", ")} (given: ${blobs.map((b) => `${b.blob.shard.index}/${total} ${b.file}`).join(", ")})`,
      "Pass the blob of every shard; a shard job that failed before writing its blob must run again.",
    );
  }
}

/** Each selected test case's result, from exactly one blob; throws naming the files otherwise. */
function collectResults(selection: Selection, blobs: readonly LoadedBlob[]): Map<string, { result: TestCaseResult; file: string }> {
  const wanted = new Set(selection.testSets.flatMap((s) => s.testcases.map((t) => testCaseKey(s.name, t.id))));
  const found = new Map<string, { result: TestCaseResult; file: string }>();
  const duplicates: string[] = [];
  const strangers: string[] = [];
  for (const { file, blob } of blobs) {
    for (const { run, results } of blob.runs) {
      for (const result of results) {
        const key = testCaseKey(run.testSet.name, result.id);
        if (!wanted.has(key)) strangers.push(`${key} in ${file}`);
        else if (found.has(key)) duplicates.push(`${key} in ${found.get(key)!.file} and ${file}`);
        else found.set(key, { result, file });
      }
    }
  }
  if (duplicates.length > 0) {
    throw mismatch(`Test cases with more than one result: ${duplicates.slice(0, 5).join("; ")}${duplicates.length > 5 ? ` and ${duplicates.length - 5} more` : ""}`, "Merge the blobs of one CI run only, each once.");
  }
  if (strangers.length > 0) {
    throw mismatch(`Results of test cases outside the selection: ${strangers.slice(0, 5).join("; ")}${strangers.length > 5 ? ` and ${strangers.length - 5} more` : ""}`, "The blob was changed or written by an incompatible version of assay; run the shard again.");
  }
  const absent = [...wanted].filter((k) => !found.has(k));
  if (absent.length > 0) {
    throw mismatch(
      `${absent.length} selected test case${absent.length > 1 ? "s have" : " has"} no result in any blob (${absent.slice(0, 5).join("; ")}${absent.length > 5 ? "; …" : ""}; blobs: ${blobs.map((b) => b.file).join(", ")})`,
      "A shard did not finish writing its blob; run it again.",
    );
  }
  return found;
}

/**
 * Builds one run per selected test set from the shards' runs, as if the selection had run
 * unsharded: test cases in test set order, counts and result over all of them, status the
 * worst of the shards' (ERROR, then ABORTED), from the first shard's start to the last one's
 * end. Nothing is stored: see storeMergedRuns.
 */
export function mergeShards(blobs: readonly LoadedBlob[], now: Date = new Date()): MergedRun[] {
  checkShards(blobs);
  const first = blobs[0]!.blob;
  const selection: Selection = first.selection;
  const found = collectResults(selection, blobs);
  const total = first.shard.total;
  return selection.testSets.map((set, i) => {
    // One millisecond apart, so that run ids (which sort by time) keep the selection's order.
    const runId = newRunId(new Date(now.getTime() + i));
    const shardRuns = blobs
      .flatMap((b) => b.blob.runs.map((r) => ({ index: b.blob.shard.index, run: r.run })))
      .filter((r) => r.run.testSet.name === set.name)
      .sort((a, b) => a.index - b.index);
    const results = set.testcases.map((t) => ({ ...found.get(testCaseKey(set.name, t.id))!.result, runId }));
    const status = shardRuns.some((r) => r.run.status === "ERROR") ? "ERROR" : shardRuns.some((r) => r.run.status === "ABORTED") ? "ABORTED" : "FINISHED";
    const notes = shardRuns.filter((r) => r.run.message !== null && r.run.status !== "FINISHED").map((r) => `shard ${r.index}/${total}: ${r.run.message}`);
    const starts = shardRuns.map((r) => r.run.startedAt).sort();
    const ends = shardRuns.map((r) => r.run.endedAt);
    const counts = countResults(results.length, results);
    const run: TestRun = {
      id: runId,
      testSet: { name: set.name, file: set.file, labels: set.labels },
      domain: set.domain,
      stage: set.stage,
      instance: set.instance,
      status,
      result: runResult(counts, status),
      startedAt: starts[0] ?? now.toISOString(),
      endedAt: ends.includes(null) ? null : ([...(ends as string[])].sort().at(-1) ?? now.toISOString()),
      counts,
      testcases: set.testcases,
      message: notes.length > 0 ? notes.join(" ") : set.testcases.length === 0 ? "The test set has no test cases." : null,
      merged: { selection: selection.fingerprint, shards: total, runIds: shardRuns.map((r) => r.run.id) },
    };
    return { run, results };
  });
}

/** Stores merged runs through the same ResultStore calls a run makes: header, each result, final header. */
export async function storeMergedRuns(store: ResultStore, runs: readonly MergedRun[]): Promise<void> {
  for (const { run, results } of runs) {
    await store.startRun({ ...run, status: "EXECUTING", endedAt: null });
    for (const result of results) await store.saveResult(result);
    await store.finishRun(run);
  }
}
