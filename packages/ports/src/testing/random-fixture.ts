import type { Row } from "../values.js";
import type { FixtureTable } from "./fixture.js";

/**
 * Randomly generated COMPARE fixtures: for each seed an expected and an actual table over a
 * composite key (an integer and a text key with case variants, accents and NULL), with rows
 * missing, extra, changed (to and from NULL) and duplicated on either side. The generator is a
 * seeded PRNG, so every engine loads the same rows and compareOracle() knows the answer.
 */
export const RANDOM_COMPARE_SEEDS = [1, 7, 42, 2024] as const;

export interface RandomCompareFixture {
  seed: number;
  keys: readonly string[];
  expected: FixtureTable;
  actual: FixtureTable;
}

/** mulberry32: a tiny, well-known 32-bit PRNG; enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXT_KEYS = ["a", "A", "b", "é", "", null] as const;
const NOTES = ["x", "y", "X", null] as const;
const COLUMNS = [
  { name: "k1", type: "int" },
  { name: "k2", type: "string" },
  { name: "amount", type: "decimal(12,2)" },
  { name: "note", type: "string" },
] as const;

function generate(seed: number): RandomCompareFixture {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const amount = () => (Math.floor(random() * 200_000) / 100 - 500).toFixed(2);
  const expected: Row[] = [];
  const actual: Row[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < 120; i++) {
    const key = { k1: 1 + Math.floor(random() * 30), k2: pick(TEXT_KEYS) };
    const id = JSON.stringify(key);
    if (seen.has(id)) continue;
    seen.add(id);
    const row: Row = { ...key, amount: amount(), note: pick(NOTES) };
    const roll = random();
    if (roll < 0.1) expected.push(row); // missing from the object
    else if (roll < 0.2) actual.push(row); // extra in the object
    else {
      expected.push(row);
      const change = random();
      if (change < 0.12) actual.push({ ...row, amount: amount() });
      else if (change < 0.2) actual.push({ ...row, note: pick(NOTES) });
      else if (change < 0.25) actual.push({ ...row, amount: null });
      else actual.push({ ...row });
    }
    if (random() < 0.06) expected.push({ ...row, amount: amount() });
    if (random() < 0.06) actual.push({ ...row });
  }
  const table = (side: string, rows: Row[]): FixtureTable => ({ name: `assay_contract_random_${seed}_${side}`, columns: COLUMNS, rows });
  return { seed, keys: ["k1", "k2"], expected: table("expected", expected), actual: table("actual", actual) };
}

export function randomCompareFixtures(): RandomCompareFixture[] {
  return RANDOM_COMPARE_SEEDS.map(generate);
}
