import { describe, expect, it } from "vitest";
import type { Notifier, RunEvent } from "../notifier.js";
import { validatePortInstance } from "../plugin.js";

const at = "2026-01-01T00:00:00.000Z";
const tc = { at, runId: "r1", testCaseId: "t1", object: "stage_accounts", testType: "SCHEMA", scenario: null };

/** One event of every type, in a plausible order. */
export const SAMPLE_RUN_EVENTS: readonly RunEvent[] = [
  { type: "run.started", at, runId: "r1", testSet: "Payments", domain: "payments", stage: "test", instance: "alpha", total: 1 },
  { type: "testcase.started", ...tc },
  { type: "testcase.precondition", ...tc, check: "testobject exists", passed: true, message: null },
  { type: "testcase.step", ...tc, step: "get schema", durationMs: 12 },
  { type: "warning", at, runId: "r1", testCaseId: "t1", message: "something to know" },
  { type: "testcase.finished", ...tc, result: "OK", status: "FINISHED", summary: "Schema matches.", durationMs: 20 },
  { type: "run.finished", at, runId: "r1", result: "OK", status: "FINISHED", counts: { total: 1, ok: 1, nok: 0, na: 0, error: 0 }, durationMs: 25 },
];

/** The Notifier port's contract. */
export function describeNotifierContract(name: string, create: () => Promise<Notifier>): void {
  describe(`Notifier contract: ${name}`, () => {
    it("implements the port", async () => {
      const n = await create();
      expect(validatePortInstance("notifier", n, name)).toBe(n);
      await n.close();
    });

    it("accepts every event type and closes idempotently", async () => {
      const n = await create();
      for (const event of SAMPLE_RUN_EVENTS) await n.notify(event);
      await n.close();
      await expect(n.close()).resolves.toBeUndefined();
    });
  });
}
