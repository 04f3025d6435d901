import { z } from "zod";
import type { PluginContext } from "./backend.js";
import { RunResult, TestResult, TestStatus } from "./values.js";

const base = {
  /** ISO-8601 time the event happened. */
  at: z.string(),
  runId: z.string(),
};

const testCaseRef = {
  ...base,
  testCaseId: z.string(),
  object: z.string(),
  testType: z.string(),
  scenario: z.string().nullable(),
};

export const RunCounts = z.object({
  total: z.number().int(),
  ok: z.number().int(),
  nok: z.number().int(),
  na: z.number().int(),
  error: z.number().int(),
});
export type RunCounts = z.infer<typeof RunCounts>;

/** The real-time updates of a run, in the order they happen for each test case. */
export const RunEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run.started"),
    ...base,
    testSet: z.string(),
    domain: z.string(),
    stage: z.string(),
    instance: z.string(),
    total: z.number().int(),
  }),
  z.object({ type: z.literal("testcase.started"), ...testCaseRef }),
  z.object({
    type: z.literal("testcase.precondition"),
    ...testCaseRef,
    check: z.string(),
    passed: z.boolean(),
    message: z.string().nullable(),
  }),
  z.object({ type: z.literal("testcase.step"), ...testCaseRef, step: z.string(), durationMs: z.number() }),
  z.object({
    type: z.literal("testcase.finished"),
    ...testCaseRef,
    result: TestResult,
    status: TestStatus,
    summary: z.string(),
    durationMs: z.number(),
  }),
  z.object({
    type: z.literal("run.finished"),
    ...base,
    result: RunResult,
    status: TestStatus,
    counts: RunCounts,
    durationMs: z.number(),
  }),
  z.object({
    type: z.literal("warning"),
    ...base,
    testCaseId: z.string().nullable(),
    message: z.string(),
  }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventType = RunEvent["type"];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/**
 * Receives run events as they happen. notify() must not throw for a well-formed event; a
 * notifier that fails is reported once as a warning and the run goes on.
 */
export interface Notifier {
  notify(event: RunEvent): void | Promise<void>;
  /** Flushes and releases. Idempotent. */
  close(): Promise<void>;
}

export const NOTIFIER_METHODS = ["notify", "close"] as const;

export interface NotifierFactory<Options = unknown> {
  create(options: Options, context: PluginContext): Promise<Notifier>;
}
