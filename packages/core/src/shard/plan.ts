import { sha256 } from "./selection.js";

/** Which test cases each shard runs: `shards[i - 1]` holds shard i's keys. */
export interface ShardPlan {
  total: number;
  shards: string[][];
  /** The expected milliseconds per shard (stored durations; estimates for test cases without one). */
  loads: number[];
  /** How many test cases had a stored duration. */
  known: number;
  /** sha256 of the assignment: shards planned from different histories differ here. */
  fingerprint: string;
}

/** A stable pseudo-random order for equal weights: the test case's hash, not its position. */
function hashOf(key: string): string {
  return sha256(key).slice(0, 16);
}

/**
 * Splits test cases into `total` shards by longest-processing-time greedy: heaviest first,
 * each onto the least-loaded shard (the lowest-numbered one on a tie). The weight is the stored
 * duration (at least 1 ms, so that instant test cases still spread by count); a test case
 * without one weighs the mean of the known durations. Without any history every weight is
 * equal, so the order falls back to the hash of the key and the split is even by count. The
 * result depends only on the keys and the durations, never on the input order, and puts every
 * key in exactly one shard.
 */
export function planShards(keys: readonly string[], total: number, durations: ReadonlyMap<string, number> = new Map()): ShardPlan {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`shard count must be a whole number ≥ 1, got ${total}`);
  const unique = [...new Set(keys)];
  const known = unique.map((k) => durations.get(k)).filter((d): d is number => d !== undefined && Number.isFinite(d) && d >= 0);
  const estimate = known.length > 0 ? Math.max(1, Math.round(known.reduce((a, b) => a + b, 0) / known.length)) : 1;
  const weighted = unique.map((key) => {
    const d = durations.get(key);
    return { key, weight: d !== undefined && Number.isFinite(d) && d >= 0 ? Math.max(1, d) : estimate, hash: hashOf(key) };
  });
  weighted.sort((a, b) => b.weight - a.weight || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const shards: string[][] = Array.from({ length: total }, () => []);
  const loads: number[] = new Array<number>(total).fill(0);
  for (const { key, weight } of weighted) {
    let least = 0;
    for (let i = 1; i < total; i++) if (loads[i]! < loads[least]!) least = i;
    shards[least]!.push(key);
    loads[least]! += weight;
  }
  return { total, shards, loads, known: known.length, fingerprint: sha256(JSON.stringify(shards)) };
}
