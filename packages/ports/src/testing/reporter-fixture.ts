import type { DiffRow } from "../backend.js";
import type { ColumnDiffEntry, ReportSource, TestCaseResult, TestRun } from "../reporter.js";

/**
 * Sample runs for reporter tests: one result of every outcome (OK, NOK, N/A, ERROR), a COMPARE
 * with differing rows, a SCHEMA with a column table, and text that XML 1.0 forbids.
 */

const at = { domain: "payments", stage: "test", instance: "beta" };
const start = "2026-01-02T03:04:05.000Z";

function result(run: string, index: number, partial: Partial<TestCaseResult> & Pick<TestCaseResult, "object" | "type" | "result">): TestCaseResult {
  const scenario = partial.scenario ?? null;
  return {
    id: `${partial.object}_${partial.type}${scenario ? `_${scenario}` : ""}`,
    runId: run,
    scenario,
    at,
    status: "FINISHED",
    summary: "",
    specs: [],
    facts: [],
    details: [],
    diff: {},
    startedAt: new Date(Date.parse(start) + index * 1000).toISOString(),
    endedAt: new Date(Date.parse(start) + index * 1000 + 250).toISOString(),
    durationMs: 250,
    ...partial,
  };
}

const compareDiff: DiffRow[] = [
  { kind: "mismatch", key: { account_id: 7, booking_date: "2026-01-01" }, expected: { total_amount: "1200.00", n: 3 }, actual: { total_amount: "1300.00", n: 3 }, columns: ["total_amount"] },
  { kind: "missing", key: { account_id: 9, booking_date: "2026-01-02" }, expected: { total_amount: "10.50", n: 1 }, actual: null, columns: [] },
  { kind: "extra", key: { account_id: 11, booking_date: "2026-01-03" }, expected: null, actual: { total_amount: "3.25", n: 2 }, columns: [] },
];

const columnDiff: ColumnDiffEntry[] = [
  { expected_column: "id", expected_type: "int", actual_column: "id", actual_type: "INTEGER", result_column: "OK", result_type: "OK", result: "OK" },
  { expected_column: "transaction_date", expected_type: "date", actual_column: "transaction_date", actual_type: "VARCHAR", result_column: "OK", result_type: "NOK", result: "NOK" },
  { expected_column: "amount", expected_type: "decimal(12,2)", actual_column: null, actual_type: null, result_column: "NOK", result_type: null, result: "NOK" },
];

function runOf(id: string, name: string, results: TestCaseResult[]): TestRun {
  const counts = { total: results.length, ok: 0, nok: 0, na: 0, error: 0 };
  for (const r of results) {
    if (r.status === "ERROR") counts.error++;
    else if (r.result === "OK") counts.ok++;
    else if (r.result === "NOK") counts.nok++;
    else counts.na++;
  }
  return {
    id,
    testSet: { name, file: `testsets/${name.toLowerCase().replace(/\W+/g, "_")}.yaml`, labels: ["regression"] },
    ...at,
    status: "FINISHED",
    result: counts.nok > 0 ? "NOK" : counts.na + counts.error > 0 ? "N/A" : results.length > 0 ? "OK" : "N/A",
    startedAt: start,
    endedAt: new Date(Date.parse(start) + results.length * 1000 + 500).toISOString(),
    counts,
    testcases: results.map((r) => ({ id: r.id, object: r.object, type: r.type, scenario: r.scenario })),
    message: null,
  };
}

const RUN_A = "20260102T030405000Z-aaaaaa";
const resultsA: TestCaseResult[] = [
  result(RUN_A, 0, { object: "mart_account_payments_by_date", type: "SCHEMA", result: "OK", summary: "Schema matches.", facts: [{ name: "Columns", value: 4 }] }),
  result(RUN_A, 1, {
    object: "mart_account_payments_by_date",
    type: "COMPARE",
    scenario: "q4",
    result: "NOK",
    summary: "3 of 100 rows differ: 1 missing, 1 extra, 1 mismatched (total_amount 1).",
    specs: ["specs/payments/test/mart/mart_account_payments_by_date.compare.q4.sql"],
    facts: [
      { name: "Expected rows", value: 100 },
      { name: "Mismatched rows", value: 1 },
      { name: "Primary keys", value: "account_id, booking_date" },
    ],
    diff: { compare_diff: compareDiff },
  }),
  result(RUN_A, 2, {
    object: "core_account_payments",
    type: "SCHEMA",
    result: "NOK",
    summary: "1 type differs: transaction_date date ≠ string; 1 column missing: amount.",
    diff: { column_diff: columnDiff },
  }),
  result(RUN_A, 3, { object: "stage_accounts", type: "STAGECOUNT", result: "N/A", summary: "No raw files <found> & nothing \"loaded\" in raw/accounts." }),
  result(RUN_A, 4, {
    object: "weird\u0001object",
    type: "DUMMY_EXCEPTION",
    status: "ERROR",
    result: "N/A",
    summary: "Exception: boom \u0000\u001b[31mred\u001b[0m \uFFFE ünïcødé ✓ ]]> end",
    details: [{ name: "Stack", value: "Error: boom\n    at x (y.js:1:1)" }],
  }),
];

const RUN_B = "20260102T030500000Z-bbbbbb";
const resultsB: TestCaseResult[] = [
  result(RUN_B, 0, { object: "stage_accounts", type: "ROWCOUNT", result: "OK", summary: "Row count 1,000 matches." }),
];

/** Two runs: one with every outcome, one all OK. */
export const SAMPLE_REPORT_RUNS: ReadonlyArray<{ run: TestRun; results: readonly TestCaseResult[] }> = [
  { run: runOf(RUN_A, "Payments Mart", resultsA), results: resultsA },
  { run: runOf(RUN_B, "Payments Smoke", resultsB), results: resultsB },
];

/**
 * A run of `count` test cases, every `failEvery`-th a NOK COMPARE with `diffRows` differing rows
 * (wide values), generated as it is read: for size limits and streaming.
 */
export function largeReportSource(count: number, options: { failEvery?: number; diffRows?: number; runId?: string } = {}): ReportSource {
  const failEvery = options.failEvery ?? 3;
  const diffRows = options.diffRows ?? 20;
  const runId = options.runId ?? "20260102T040000000Z-cccccc";
  const make = (i: number): TestCaseResult => {
    const fail = i % failEvery === 0;
    const object = `table_${String(i).padStart(5, "0")}`;
    const diff: DiffRow[] = fail
      ? Array.from({ length: diffRows }, (_, r) => ({
          kind: "mismatch" as const,
          key: { id: r, region: `region-${r % 7}` },
          expected: { amount: `${r}.00`, label: `expected label ${"x".repeat(40)} ${r}` },
          actual: { amount: `${r + 1}.00`, label: `actual label ${"y".repeat(40)} ${r}` },
          columns: ["amount", "label"],
        }))
      : [];
    return result(runId, i, {
      object,
      type: fail ? "COMPARE" : "ROWCOUNT",
      result: fail ? "NOK" : "OK",
      summary: fail ? `${diffRows} of 1,000 rows differ: ${diffRows} mismatched (amount ${diffRows}, label ${diffRows}).` : "Row count 1,000 matches.",
      facts: [{ name: "Expected rows", value: 1000 }],
      diff: fail ? { compare_diff: diff } : {},
    });
  };
  const tcs = Array.from({ length: count }, (_, i) => {
    const fail = i % failEvery === 0;
    return { id: `table_${String(i).padStart(5, "0")}_${fail ? "COMPARE" : "ROWCOUNT"}`, object: `table_${String(i).padStart(5, "0")}`, type: fail ? "COMPARE" : "ROWCOUNT", scenario: null };
  });
  const nok = tcs.filter((t) => t.type === "COMPARE").length;
  const run: TestRun = {
    id: runId,
    testSet: { name: "Large", file: "testsets/large.yaml", labels: [] },
    ...at,
    status: "FINISHED",
    result: nok > 0 ? "NOK" : "OK",
    startedAt: start,
    endedAt: new Date(Date.parse(start) + 60_000).toISOString(),
    counts: { total: count, ok: count - nok, nok, na: 0, error: 0 },
    testcases: tcs,
    message: null,
  };
  return {
    runs: [run],
    async *results(id: string) {
      if (id !== runId) return;
      for (let i = 0; i < count; i++) yield make(i);
    },
  };
}
