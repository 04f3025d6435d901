import { ConfigError } from "@assay/ports";

/** One part of a split: shard `index` (1-based) of `total`. */
export interface ShardSpec {
  index: number;
  total: number;
}

/** `i/n` as given to `--shard`, e.g. `2/3`: 1 ≤ i ≤ n. */
export function parseShardSpec(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total || !Number.isSafeInteger(total)) {
    throw new ConfigError("USAGE", `"${text}" is not a shard`, {
      where: { key: "--shard" },
      expected: "i/n with whole numbers 1 ≤ i ≤ n, e.g. --shard 2/3 for the second of three shards",
      fix: "In CI, pass the job's index and the job count, e.g. --shard ${{ matrix.shard }}/3 or --shard $CI_NODE_INDEX/$CI_NODE_TOTAL.",
    });
  }
  return { index, total };
}
