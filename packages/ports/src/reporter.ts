import { z } from "zod";
import type { PluginContext } from "./backend.js";
import { DiffRow } from "./backend.js";
import { RunCounts } from "./notifier.js";
import { Coordinates, RunResult, TestResult, TestStatus, type CallOptions } from "./values.js";

/**
 * The Reporter port: a stored run and its results in, one file out. What crosses it is what the
 * result store keeps (a run header and one result per test case), so a reporter renders a run
 * as it happens or long after (`assay report`), and a merged run like any other.
 */

/** Facts and details are ordered name/value pairs: what a report shows. */
export const Fact = z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) });
export type Fact = z.infer<typeof Fact>;

/** One test case's stored result. */
export const TestCaseResult = z.object({
  id: z.string(),
  runId: z.string(),
  object: z.string(),
  type: z.string(),
  scenario: z.string().nullable(),
  at: Coordinates,
  result: TestResult,
  status: TestStatus,
  /** One sentence: why this result. */
  summary: z.string(),
  /** Spec paths used. */
  specs: z.array(z.string()),
  facts: z.array(Fact),
  details: z.array(Fact),
  /** Free-form per test type: column_diff, compare_diff, rowcount_diff, stagecount_diff, ... */
  diff: z.record(z.string(), z.unknown()),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type TestCaseResult = z.infer<typeof TestCaseResult>;

/** Which part of which selection a shard run is: `index` of `total` (1-based), and the selection's fingerprint. */
export const ShardOfRun = z.object({
  index: z.number().int().min(1),
  total: z.number().int().min(1),
  /** sha256 of the selection (test sets, coordinates and test case ids): equal for every shard of one selection. */
  selection: z.string(),
});
export type ShardOfRun = z.infer<typeof ShardOfRun>;

/** The shard runs a merged run was built from. */
export const MergedFrom = z.object({
  selection: z.string(),
  shards: z.number().int().min(1),
  runIds: z.array(z.string()),
});
export type MergedFrom = z.infer<typeof MergedFrom>;

/** A stored run's header: what was asked, where, and how it ended. */
export const TestRun = z.object({
  id: z.string(),
  testSet: z.object({ name: z.string(), file: z.string(), labels: z.array(z.string()) }),
  domain: z.string(),
  stage: z.string(),
  instance: z.string(),
  /** INITIATED → EXECUTING → FINISHED | ABORTED (Ctrl-C) | ERROR (infrastructure). */
  status: TestStatus,
  /** The run's one result (RunResult): ERROR, else NOK, else N/A, else OK. */
  result: RunResult,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  counts: RunCounts,
  /**
   * The process executing the run, so that a run left EXECUTING by a killed process can be told
   * from one still running (`show`, `list runs`). Absent in runs stored by older versions.
   */
  process: z.object({ pid: z.number().int(), host: z.string() }).optional(),
  /** What the run was asked to do, in test set order. */
  testcases: z.array(z.object({ id: z.string(), object: z.string(), type: z.string(), scenario: z.string().nullable() })),
  /** Why the run ended as it did when it is not FINISHED. */
  message: z.string().nullable(),
  /** Set when the run is one shard of a sharded selection (`assay run --shard i/n`); absent in older runs. */
  shard: ShardOfRun.optional(),
  /** Set when the run was built by `assay merge` from the shards' runs; absent otherwise. */
  merged: MergedFrom.optional(),
});
export type TestRun = z.infer<typeof TestRun>;

/** One line of SCHEMA's `column_diff`. result_type is null when the type was not compared. */
export const ColumnDiffEntry = z.object({
  expected_column: z.string().nullable(),
  expected_type: z.string().nullable(),
  actual_column: z.string().nullable(),
  actual_type: z.string().nullable(),
  result_column: z.enum(["OK", "NOK"]),
  result_type: z.enum(["OK", "NOK"]).nullable(),
  result: z.enum(["OK", "NOK"]),
});
export type ColumnDiffEntry = z.infer<typeof ColumnDiffEntry>;

/** COMPARE's differing rows (`diff.compare_diff`), or [] when the result has none or they are malformed. */
export function compareDiffOf(result: Pick<TestCaseResult, "diff">): DiffRow[] {
  const parsed = z.array(DiffRow).safeParse(result.diff.compare_diff);
  return parsed.success ? parsed.data : [];
}

/** SCHEMA's column table (`diff.column_diff`), or [] when the result has none or it is malformed. */
export function columnDiffOf(result: Pick<TestCaseResult, "diff">): ColumnDiffEntry[] {
  const parsed = z.array(ColumnDiffEntry).safeParse(result.diff.column_diff);
  return parsed.success ? parsed.data : [];
}

/** What a test case shows as its outcome: ERROR for status ERROR, else its result. */
export type Outcome = TestResult | "ERROR";
export function outcomeOf(result: Pick<TestCaseResult, "status" | "result">): Outcome {
  return result.status === "ERROR" ? "ERROR" : result.result;
}

/** A run's outcome: ERROR when it or any test case errored, else its result. */
export function runOutcomeOf(run: Pick<TestRun, "status" | "result" | "counts">): Outcome {
  return run.status === "ERROR" || run.counts.error > 0 ? "ERROR" : run.result;
}

/**
 * What a reporter renders: the runs of one invocation (headers only: small) and, per run, its
 * results streamed from the store in test set order, so that 2,000 test cases with large diffs
 * need not sit in memory at once. `results(runId)` starts a new read each call; a reporter
 * should read each run's results once.
 */
export interface ReportSource {
  readonly runs: readonly TestRun[];
  results(runId: string): AsyncIterable<TestCaseResult>;
}

/**
 * Renders runs into one file. Stateless between render() calls; may be called concurrently.
 * render() yields the file's bytes (strings are UTF-8) in order, so a large report is written as
 * it is produced. It rejects (or its iterator throws) when the source does, never writing a
 * partial file on purpose: the caller writes to a temporary file and renames it.
 */
export interface Reporter {
  /** File extension without the dot: `xml`, `md`, `html`, `xlsx`, `json`. */
  readonly extension: string;
  readonly mediaType: string;
  render(source: ReportSource, options?: CallOptions): AsyncIterable<string | Uint8Array>;
}

export const REPORTER_METHODS = ["render"] as const;

export interface ReporterFactory<Options = unknown> {
  create(options: Options, context: PluginContext): Promise<Reporter>;
}

/** A ReportSource over runs and results held in memory (tests, code that has them already). */
export function reportSourceOf(runs: ReadonlyArray<{ run: TestRun; results: readonly TestCaseResult[] }>): ReportSource {
  const byId = new Map(runs.map((r) => [r.run.id, r.results]));
  return {
    runs: runs.map((r) => r.run),
    async *results(runId: string) {
      yield* byId.get(runId) ?? [];
    },
  };
}

/** How a report shows a value: NULL for null, text as is, numbers and booleans as written. */
export function cellText(value: unknown): string {
  if (value === null) return "NULL";
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A differing row's key as `account_id=7, booking_date=2026-01-01`. */
export function keyText(key: Readonly<Record<string, unknown>>): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}=${cellText(v)}`)
    .join(", ");
}

/** One column of a differing row as a report shows it; undefined where the side has no row. */
export interface DiffChange {
  column: string;
  expected: unknown;
  actual: unknown;
}

/**
 * The columns a report shows for a differing row: the changed columns of a mismatch; every
 * compared column of a missing row (expected only), an extra row (actual only), or the first
 * row of a duplicated key (its side). Key columns are left out: the key is shown on its own.
 */
export function diffChanges(row: DiffRow): DiffChange[] {
  if (row.kind === "mismatch") return row.columns.map((column) => ({ column, expected: row.expected?.[column], actual: row.actual?.[column] }));
  const values = row.expected ?? row.actual ?? {};
  return Object.entries(values)
    .filter(([column]) => !(column in row.key))
    .map(([column, value]) => ({
    column,
    expected: row.expected ? value : undefined,
    actual: row.actual ? value : undefined,
  }));
}

/** `mismatch`, `missing` (expected only), `extra` (actual only), `duplicate in actual (3×)`. */
export function diffKindText(row: DiffRow): string {
  if (row.kind === "missing") return "missing in actual";
  if (row.kind === "extra") return "extra in actual";
  if (row.kind === "duplicate") return `duplicate key in ${row.side ?? "?"}${row.count ? ` (${row.count}×)` : ""}`;
  return "mismatch";
}

/** Duration in seconds as a report shows it: `0.250`, from milliseconds (null → 0). */
export function secondsText(ms: number | null | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/** A run's duration in milliseconds, or null while it has not ended. */
export function runDurationMs(run: Pick<TestRun, "startedAt" | "endedAt">): number | null {
  return run.endedAt ? Math.max(0, Date.parse(run.endedAt) - Date.parse(run.startedAt)) : null;
}
