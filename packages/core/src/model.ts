import { z } from "zod";

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
  /** compare only: the named connection (config `connections:`) the query runs on, from the header `-- assay: connection=<name>`. */
  connection: z.string().nullable().optional(),
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

/** Stored values (facts, test case results, run headers) are the Reporter port's: a reporter reads them as stored. */
export { Fact, MergedFrom, ShardOfRun, TestCaseResult, TestRun } from "@assay/ports";
