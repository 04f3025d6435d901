/**
 * Determinism from one seed. A JS mulberry32 draws one 32-bit stream seed per (file, column);
 * DuckDB then hashes (stream seed + row number) with a murmur-style 32-bit finaliser, so a
 * row's values depend only on the seed and its row number, never on a loop, thread or chunk.
 * That keeps a million-row file as fast to write as a hundred-row one, with the same method.
 */

/** mulberry32: a small, well-mixed 32-bit PRNG; returns unsigned 32-bit integers. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * DuckDB macros: `demo_hash(stream, i)` is a uniform unsigned 32-bit value for row i of a stream.
 * Every product stays below 2^63 (a 32-bit value times a 31-bit constant), so BIGINT never overflows.
 */
export const HASH_MACROS_SQL = [
  "CREATE OR REPLACE TEMP MACRO demo_shift(h, n) AS xor(h, h >> n)",
  "CREATE OR REPLACE TEMP MACRO demo_mul(h) AS (h * 1540483477) & 4294967295",
  "CREATE OR REPLACE TEMP MACRO demo_mix(h) AS demo_shift(demo_mul(demo_shift(demo_mul(demo_shift(h, 15)), 13)), 15)",
  "CREATE OR REPLACE TEMP MACRO demo_hash(stream, i) AS demo_mix((CAST(stream AS BIGINT) + CAST(i AS BIGINT)) & 4294967295)",
];
