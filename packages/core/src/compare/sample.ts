import { createHash } from "node:crypto";
import type { CellValue } from "@assay/ports";
import { canonicalCell } from "./cells.js";

/**
 * Sampled COMPARE in core's merge: a key is in the sample when a hash of the seed and the
 * key's canonical text falls under `percent`. Deterministic, and equal keys hash equally on
 * both sides (10.50 and "10.5" alike), so a key is in or out on both.
 */
export function inSample(key: readonly CellValue[], numeric: readonly boolean[], percent: number, seed: string): boolean {
  if (percent >= 100) return true;
  const text = key.map((v, i) => canonicalCell(v, numeric[i] ?? false)).join("\u0001");
  const digest = createHash("sha256").update(seed).update("\u0000").update(text).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100 < percent;
}
