import { z } from "zod";
import { Coordinates, RunCounts, RunResult, TestResult, TestStatus } from "@assay/ports";

/**
 * The domain's values. Everything stored (runs, test case results) is a zod schema, so a
 * stored file is validated when it is read back.
 */

/** Upper-case canonical names; files write them in lower case and are read case-insensitively. */
export const BUILTIN_TEST_TYPES = [
  "SCHEMA",
  "ROWCOUNT",
  "COMPARE",
  "STAGECOUNT",
  "DUMMY_OK",
  "DUMMY_NOK",
  "DUMMY_EXCEPTION",
] as const;

export const SpecType = z.enum(["schema", "rowcount", "compare", "stagecount"]);
export type SpecType = z.infer<typeof SpecType>;

const specBase = {
  object: z.string(),
  scenario: z.string().nullable(),
  /** Path relative to the project root, with '/' separators: what users see. */
  path: z.string(),
  /** Why the spec could not be read or parsed; null when it is fine. A spec with an error has no payload. */
  error: z.string().nullable(),
};

export const SchemaColumnSpec = z.object({ name: z.string(), type: z.string().nullable() });

export const SchemaSpec = z.object({
  type: z.literal("schema"),
  ...specBase,
  columns: z.array(SchemaColumnSpec).nullable(),
  primaryKeys: z.array(z.string()).nullable(),
  partitioning: z.array(z.string()).nullable(),
  clustering: z.array(z.string()).nullable(),
});
export type SchemaSpec = z.infer<typeof SchemaSpec>;

export const SqlSpec = z.object({
  type: z.enum(["rowcount", "compare"]),
  ...specBase,
  sql: z.string().nullable(),
});
export type SqlSpec = z.infer<typeof SqlSpec>;

export const StagecountSpec = z.object({
  type: z.literal("stagecount"),
  ...specBase,
  format: z.enum(["csv", "parquet"]).nullable(),
  encoding: z.string().nullable(),
  headerLines: z.number().int().min(0).nullable(),
  delimiter: z.string().nullable(),
});
export type StagecountSpec = z.infer<typeof StagecountSpec>;

export const Spec = z.discriminatedUnion("type", [SchemaSpec, SqlSpec, StagecountSpec]);
export type Spec = z.infer<typeof Spec>;

export const TestCaseEntry = z.object({
  object: z.string(),
  /** Canonical upper-case test type. */
  type: z.string(),
  scenario: z.string().nullable(),
  /** 1-based line in the test set file, for messages. */
  line: z.number().int().nullable(),
  /** The test set's comment on this test case, shown in reports. */
  comment: z.string().optional(),
});
export type TestCaseEntry = z.infer<typeof TestCaseEntry>;

export const TestSet = z.object({
  name: z.string(),
  description: z.string().default(""),
  /** Path relative to the project root. */
  file: z.string(),
  domain: z.string(),
  stage: z.string(),
  instance: z.string(),
  labels: z.array(z.string()),
  testcases: z.array(TestCaseEntry),
});
export type TestSet = z.infer<typeof TestSet>;

/** `{object}_{TYPE}` plus `_{scenario}`: unique within a test set. */
export function testCaseIdentifier(entry: { object: string; type: string; scenario: string | null }): string {
  return `${entry.object}_${entry.type.toUpperCase()}${entry.scenario ? `_${entry.scenario}` : ""}`;
}

/** Facts and details are ordered name/value pairs: what a report shows. */
export const Fact = z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) });
export type Fact = z.infer<typeof Fact>;

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
  testcases: z.array(
    z.object({ id: z.string(), object: z.string(), type: z.string(), scenario: z.string().nullable() }),
  ),
  /** Why the run ended as it did when it is not FINISHED. */
  message: z.string().nullable(),
});
export type TestRun = z.infer<typeof TestRun>;
