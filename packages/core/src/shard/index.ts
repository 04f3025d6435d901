export { parseShardSpec, type ShardSpec } from "./shard-spec.js";
export { selectionOf, selectionKeys, testCaseKey, fingerprintOf, SelectedTestSet, type Selection } from "./selection.js";
export { planShards, type ShardPlan } from "./plan.js";
export { storedDurations } from "./history.js";
export { ShardBlob, BLOB_FORMAT, defaultBlobPath, readBlob, writeBlob } from "./blob.js";
export { mergeShards, storeMergedRuns, type LoadedBlob, type MergedRun } from "./merge.js";
export { prepareShard, shardBlobOf, type PreparedShard } from "./shard-run.js";
