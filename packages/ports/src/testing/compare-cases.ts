import type { DiffRow } from "../backend.js";
import type { FixtureTable } from "./fixture.js";
import { randomCompareFixtures } from "./random-fixture.js";
import { POLICY_CASES } from "./compare-policies.js";

/**
 * A COMPARE fixture pinning one policy: the object's rows and the expected query's rows (both
 * loaded as fixture tables; the expected query is `SELECT * FROM <expected>`), the request, and
 * the exact answer. Adding a policy is one entry in COMPARE_CASES: every adapter loads its two
 * tables with the other fixtures, and the suite gets one check named after it.
 */
export interface CompareCase {
  /** The check's name: the policy the case pins. */
  name: string;
  actual: FixtureTable;
  expected: FixtureTable;
  keys: readonly string[];
  columns?: readonly string[];
  tolerance?: { default?: number; columns?: Record<string, number> };
  /**
   * The exact answer. Omitted: compareOracle's answer from the rows (exact equality of the
   * values as written, no tolerance), with the diff compared as a set of kind, key and side.
   */
  result?: {
    counts: CompareCounts;
    columns?: readonly { name: string; mismatches: number }[];
    /** Every diff row, in order (maxDiffRows is large enough for all). */
    diff?: readonly DiffRow[];
  };
}

export interface CompareCounts {
  expectedRows: number;
  actualRows: number;
  matchedRows: number;
  missingRows: number;
  extraRows: number;
  mismatchedRows: number;
  duplicateKeys: { expected: number; actual: number };
}

/** Exact numbers whose types together need more than 38 digits: never compared through DOUBLE (issue 9, class 1). */
const WIDE_DECIMALS: CompareCase = {
  name: "compares DECIMAL(38,2) against DECIMAL(38,10) exactly, not through DOUBLE",
  actual: {
    name: "assay_contract_case_wide_decimals_actual",
    columns: [{ name: "id", type: "int" }, { name: "amount", type: "decimal(38,2)" }],
    rows: [{ id: 1, amount: "12345678901234567.89" }, { id: 2, amount: "1.50" }],
  },
  expected: {
    name: "assay_contract_case_wide_decimals_expected",
    columns: [{ name: "id", type: "int" }, { name: "amount", type: "decimal(38,10)" }],
    rows: [{ id: 1, amount: "12345678901234567.8900000001" }, { id: 2, amount: "1.5000000000" }],
  },
  keys: ["id"],
  result: {
    counts: { expectedRows: 2, actualRows: 2, matchedRows: 1, missingRows: 0, extraRows: 0, mismatchedRows: 1, duplicateKeys: { expected: 0, actual: 0 } },
    columns: [{ name: "amount", mismatches: 1 }],
    diff: [{
      kind: "mismatch", key: { id: 1 }, columns: ["amount"],
      expected: { id: 1, amount: "12345678901234567.8900000001" }, actual: { id: 1, amount: "12345678901234567.89" },
    }],
  },
};

/** Every COMPARE case: the hand-written policies, then the seeded random ones checked by the oracle. */
export const COMPARE_CASES: readonly CompareCase[] = [
  WIDE_DECIMALS,
  ...POLICY_CASES,
  ...randomCompareFixtures().map((f) => ({
    name: `agrees with the in-memory oracle on random fixtures (seed ${f.seed})`,
    actual: f.actual,
    expected: f.expected,
    keys: f.keys,
  })),
];
