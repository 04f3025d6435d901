import { relative, resolve } from "node:path";
import { Option, type Command } from "commander";
import { defaultBlobPath, parseShardSpec, prepareShard, shardBlobOf, writeBlob, type PreparedShard, type ResultStore, type ShardSpec, type TestSet } from "@assay/core";
import type { Cli, Project } from "../cli.js";
import type { RunWithResults } from "../render/summary.js";

export interface ShardOptions {
  shard?: ShardSpec;
  blob?: string;
  stage?: string;
  instance?: string;
  json?: boolean;
}

/** `--shard i/n` and `--blob FILE`. */
export function addShardOptions(command: Command): Command {
  return command
    .addOption(new Option("--shard <i/n>", "run only shard i of n of the selected test cases (split by stored durations) and write a blob").argParser(parseShardSpec))
    .addOption(new Option("--blob <file>", "where the shard writes its blob for assay merge (default: .assay/blobs/<selection>-<i>-of-<n>.json)"));
}

/** This shard's part of the selection, or null when the run is not sharded (no --shard, no --blob). */
export async function prepareShardOf(store: ResultStore, testSets: readonly TestSet[], options: ShardOptions): Promise<PreparedShard | null> {
  if (!options.shard && options.blob === undefined) return null;
  // --blob alone: the whole selection as one shard, so that one machine's run can be merged too.
  return prepareShard(testSets, options.shard ?? { index: 1, total: 1 }, { store, stage: options.stage, instance: options.instance });
}

/** Writes the shard's blob and says where, and what the shard ran (to stderr with --json). */
export async function writeShardBlob(cli: Cli, project: Project, prepared: PreparedShard, runs: readonly RunWithResults[], options: ShardOptions): Promise<string> {
  const file = options.blob !== undefined ? resolve(cli.cwd, options.blob) : defaultBlobPath(project.config.root, prepared.selection.fingerprint, prepared.spec);
  await writeBlob(file, shardBlobOf(prepared, runs));
  const say = (text: string) => (options.json ? cli.err(text) : cli.out(text));
  const { spec, plan, keys, selection } = prepared;
  const total = plan.shards.reduce((n, s) => n + s.length, 0);
  const basis = plan.known === 0 ? "no stored durations: split by count" : `split by the stored durations of ${plan.known} of them`;
  say(cli.colors.dim(`\nShard ${spec.index}/${spec.total} of selection ${selection.fingerprint.slice(0, 12)}: ${keys.length} of ${total} test cases (${basis}).`));
  const shown = relative(cli.cwd, file);
  say(`Blob for assay merge: ${shown.startsWith("..") ? file : shown}`);
  return file;
}
