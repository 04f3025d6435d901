import { z } from "zod";

/**
 * A value that crosses a port. Engines normalise to these: integers within 2^53 as numbers,
 * larger integers and decimals as strings (exact), dates and timestamps as ISO-8601 strings,
 * binary as base64 strings. Nothing else (no bigint, no Date, no class instances).
 */
export const CellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type CellValue = z.infer<typeof CellValue>;

export const Row = z.record(z.string(), CellValue);
export type Row = z.infer<typeof Row>;

export const Coordinates = z.object({
  domain: z.string().min(1),
  stage: z.string().min(1),
  instance: z.string().min(1),
});
export type Coordinates = z.infer<typeof Coordinates>;

/** A test object: a table, view or raw-file folder at a domain, stage and instance. */
export const TestObjectRef = Coordinates.extend({ name: z.string().min(1) });
export type TestObjectRef = z.infer<typeof TestObjectRef>;

export const TestResult = z.enum(["OK", "NOK", "N/A"]);
export type TestResult = z.infer<typeof TestResult>;

/**
 * A run's one result, the same in every output (progress, events, table, JSON, stored run,
 * exit code): ERROR when any test case is ERROR (or the run itself failed), else NOK when any
 * is NOK, else N/A when any is N/A (or the run has no test cases), else OK. Core computes it
 * (`runResult`); a test case's own result stays OK, NOK or N/A, with status ERROR.
 */
export const RunResult = z.enum(["OK", "NOK", "N/A", "ERROR"]);
export type RunResult = z.infer<typeof RunResult>;

export const TestStatus = z.enum([
  "NOT STARTED",
  "INITIATED",
  "CHECKING PRECONDITIONS",
  "EXECUTING",
  "FINISHED",
  "ABORTED",
  "ERROR",
]);
export type TestStatus = z.infer<typeof TestStatus>;

/** Options common to every long-running port call. */
export interface CallOptions {
  /**
   * Aborting interrupts the engine's work; the call then rejects with BACKEND_TIMEOUT or an
   * AbortError. For streams (query, scan) it covers the whole stream, including a slow consumer.
   */
  signal?: AbortSignal;
}
