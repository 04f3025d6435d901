import { validatePluginModule, type RunEvent } from "@assay/ports";
import { describeNotifierContract, SAMPLE_RUN_EVENTS } from "@assay/ports/testing";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin from "../src/index.js";
import { createStdoutNotifier } from "../src/stdout-notifier.js";
import { ANSI, RecordingStream, SGR } from "./screen.js";

const context = { projectRoot: process.cwd(), warn: () => undefined };

describeNotifierContract("stdout (plugin, process stream)", () => plugin.create({ stream: "stderr", verbose: false }, context));
describeNotifierContract("stdout (not a terminal)", async () => createStdoutNotifier({ verbose: true }, { stream: new RecordingStream(false), env: {} }));
describeNotifierContract("stdout (terminal)", async () => createStdoutNotifier({ verbose: true }, { stream: new RecordingStream(true), env: {} }));

const SAMPLE_LINES = [
  "Run r1 started: Payments (payments/test/alpha), 1 test case",
  "START  stage_accounts SCHEMA",
  "WARN   stage_accounts SCHEMA: something to know",
  "OK     stage_accounts SCHEMA (20 ms): Schema matches.",
  "Run r1 finished: OK in 25 ms. 1 test case: 1 OK, 0 NOK, 0 N/A, 0 ERROR",
];

async function play(events: readonly RunEvent[], notifier: ReturnType<typeof createStdoutNotifier>): Promise<void> {
  for (const event of events) await notifier.notify(event);
  await notifier.close();
}

describe("stdout notifier: plugin", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "notifier"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/notifier-stdout")).toBe(plugin);
  });

  it("validates its options strictly", async () => {
    const check = async (value: unknown) => (await plugin.optionsSchema["~standard"].validate(value)).issues === undefined;
    expect(await check({})).toBe(true);
    expect(await check({ stream: "stderr", verbose: true })).toBe(true);
    expect(await check({ stream: "stdlog" })).toBe(false);
    expect(await check({ color: false })).toBe(false);
  });
});

describe("stdout notifier: not a terminal", () => {
  it("writes one plain line per event, exactly", async () => {
    const stream = new RecordingStream(false);
    await play(SAMPLE_RUN_EVENTS, createStdoutNotifier({ verbose: false }, { stream, env: {} }));
    expect(stream.output).toBe(SAMPLE_LINES.map((l) => `${l}\n`).join(""));
    expect(stream.chunks).toHaveLength(SAMPLE_LINES.length);
  });

  it("adds preconditions and steps when verbose", async () => {
    const stream = new RecordingStream(false);
    await play(SAMPLE_RUN_EVENTS, createStdoutNotifier({ verbose: true }, { stream, env: {} }));
    expect(stream.output.split("\n").slice(0, -1)).toEqual([
      SAMPLE_LINES[0],
      SAMPLE_LINES[1],
      "  CHECK  stage_accounts SCHEMA: testobject exists: passed",
      "  STEP   stage_accounts SCHEMA: get schema (12 ms)",
      ...SAMPLE_LINES.slice(2),
    ]);
  });

  it("names scenarios, failed checks, NOK, N/A and ERROR results", async () => {
    const stream = new RecordingStream(false);
    const tc = { at: "t", runId: "r2", testCaseId: "c", object: "core_payments", testType: "COMPARE", scenario: "q4" };
    await play(
      [
        { type: "testcase.precondition", ...tc, check: "spec exists", passed: false, message: "no compare spec" },
        { type: "testcase.finished", ...tc, result: "N/A", status: "FINISHED", summary: "No spec.", durationMs: 1500 },
        { type: "testcase.finished", ...tc, result: "NOK", status: "FINISHED", summary: "", durationMs: 61_000 },
        { type: "testcase.finished", ...tc, result: "N/A", status: "ERROR", summary: "Query failed.", durationMs: 3 },
        { type: "warning", at: "t", runId: "r2", testCaseId: null, message: "slow backend" },
        { type: "run.finished", at: "t", runId: "r2", result: "NOK", status: "FINISHED", counts: { total: 3, ok: 0, nok: 1, na: 1, error: 1 }, durationMs: 2000 },
      ],
      createStdoutNotifier({ verbose: true }, { stream, env: {} }),
    );
    expect(stream.output.split("\n").slice(0, -1)).toEqual([
      "  CHECK  core_payments COMPARE [q4]: spec exists: failed (no compare spec)",
      "N/A    core_payments COMPARE [q4] (1.5 s): No spec.",
      "NOK    core_payments COMPARE [q4] (1m 01s)",
      "ERROR  core_payments COMPARE [q4] (3 ms): Query failed.",
      "WARN   slow backend",
      "Run r2 finished: NOK in 2.0 s. 3 test cases: 0 OK, 1 NOK, 1 N/A, 1 ERROR",
    ]);
  });

  it("colours plain lines only when FORCE_COLOR asks, and never moves the cursor", async () => {
    const plain = new RecordingStream(false);
    await play(SAMPLE_RUN_EVENTS, createStdoutNotifier({ verbose: true }, { stream: plain, env: {} }));
    expect(plain.output).not.toMatch(ANSI);
    for (const env of [{ FORCE_COLOR: "1" }, { FORCE_COLOR: "3" }, { FORCE_COLOR: "" }]) {
      const forced = new RecordingStream(false);
      await play(SAMPLE_RUN_EVENTS, createStdoutNotifier({ verbose: true }, { stream: forced, env }));
      expect(forced.output, JSON.stringify(env)).toMatch(SGR);
      const stripped = forced.output.replace(new RegExp(SGR.source, "g"), "");
      expect(stripped).not.toMatch(ANSI);
      expect(stripped).toBe(plain.output);
    }
    for (const env of [{ FORCE_COLOR: "0" }, { FORCE_COLOR: "1", NO_COLOR: "1" }]) {
      const off = new RecordingStream(false);
      await play(SAMPLE_RUN_EVENTS, createStdoutNotifier({ verbose: true }, { stream: off, env }));
      expect(off.output, JSON.stringify(env)).toBe(plain.output);
    }
  });

  it("shows control characters in names and messages escaped, never raw", async () => {
    const stream = new RecordingStream(false);
    const tc = { at: "t", runId: "r3", testCaseId: "c", object: "evil\u001b[2Jname", testType: "SCHEMA", scenario: "nul\u0000" };
    await play(
      [
        { type: "run.started", at: "t", runId: "r3", testSet: "Set\u001b]0;title\u0007", domain: "d", stage: "s", instance: "i", total: 1 },
        { type: "testcase.finished", ...tc, result: "NOK", status: "FINISHED", summary: "bad\u001b[31m value", durationMs: 1 },
      ],
      createStdoutNotifier({ verbose: false }, { stream, env: {} }),
    );
    // eslint-disable-next-line no-control-regex -- asserting no control character got through
    expect(stream.output.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(stream.output).toContain("evil\\x1B[2Jname SCHEMA [nul\\x00]");
    expect(stream.output).toContain("Set\\x1B]0;title\\x07");
  });
});

describe("stdout notifier: terminal", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("colours on a terminal, and NO_COLOR removes every colour code", async () => {
    const coloured = new RecordingStream(true);
    await play(SAMPLE_RUN_EVENTS, createStdoutNotifier({ verbose: false }, { stream: coloured, env: {} }));
    expect(coloured.output).toMatch(SGR);
    for (const env of [{ NO_COLOR: "1" }, { FORCE_COLOR: "0" }]) {
      const plain = new RecordingStream(true);
      await play(SAMPLE_RUN_EVENTS, createStdoutNotifier({ verbose: false }, { stream: plain, env }));
      expect(plain.output, JSON.stringify(env)).not.toMatch(SGR);
      expect(plain.screen()).toEqual(coloured.screen());
    }
    const emptyNoColor = new RecordingStream(true);
    await play(SAMPLE_RUN_EVENTS, createStdoutNotifier({ verbose: false }, { stream: emptyNoColor, env: { NO_COLOR: "" } }));
    expect(emptyNoColor.output).toMatch(SGR);
  });

  it("redraws a live block in place and leaves only the permanent lines", async () => {
    vi.useFakeTimers();
    const stream = new RecordingStream(true);
    const n = createStdoutNotifier({ verbose: false }, { stream, env: { NO_COLOR: "1" }, now: () => Date.now() });
    const tc = (id: string, object: string) => ({ at: "t", runId: "r1", testCaseId: id, object, testType: "ROWCOUNT", scenario: null });
    await n.notify({ type: "run.started", at: "t", runId: "r1", testSet: "Nightly", domain: "payments", stage: "test", instance: "alpha", total: 2 });
    await n.notify({ type: "testcase.started", ...tc("a", "stage_a") });
    await n.notify({ type: "testcase.started", ...tc("b", "stage_b") });
    vi.advanceTimersByTime(1200);
    // Mid-run, the user sees both running test cases with elapsed times and the counts.
    expect(stream.screen()).toEqual([
      "Run r1 started: Nightly (payments/test/alpha), 2 test cases",
      "  running stage_a ROWCOUNT  1.2 s",
      "  running stage_b ROWCOUNT  1.2 s",
      "  0/2 done: 0 OK, 0 NOK, 0 N/A, 0 ERROR",
    ]);
    expect(stream.output).toContain("\u001b[3A\r\u001b[J");
    await n.notify({ type: "testcase.finished", ...tc("a", "stage_a"), result: "OK", status: "FINISHED", summary: "Counts match.", durationMs: 1200 });
    vi.advanceTimersByTime(200);
    expect(stream.screen()).toEqual([
      "Run r1 started: Nightly (payments/test/alpha), 2 test cases",
      "OK     stage_a ROWCOUNT (1.2 s): Counts match.",
      "  running stage_b ROWCOUNT  1.4 s",
      "  1/2 done: 1 OK, 0 NOK, 0 N/A, 0 ERROR",
    ]);
    await n.notify({ type: "testcase.finished", ...tc("b", "stage_b"), result: "NOK", status: "FINISHED", summary: "12 rows too many.", durationMs: 1400 });
    await n.notify({ type: "run.finished", at: "t", runId: "r1", result: "NOK", status: "FINISHED", counts: { total: 2, ok: 1, nok: 1, na: 0, error: 0 }, durationMs: 1500 });
    expect(stream.screen()).toEqual([
      "Run r1 started: Nightly (payments/test/alpha), 2 test cases",
      "OK     stage_a ROWCOUNT (1.2 s): Counts match.",
      "NOK    stage_b ROWCOUNT (1.4 s): 12 rows too many.",
      "Run r1 finished: NOK in 1.5 s. 2 test cases: 1 OK, 1 NOK, 0 N/A, 0 ERROR",
    ]);
    // Nothing more is drawn after the run, and close adds nothing.
    const written = stream.output;
    vi.advanceTimersByTime(1000);
    await n.close();
    expect(stream.output).toBe(written);
  });

  it("redraws at most 10 times a second", async () => {
    vi.useFakeTimers();
    const stream = new RecordingStream(true);
    const n = createStdoutNotifier({ verbose: false }, { stream, env: {}, now: () => Date.now() });
    await n.notify({ type: "run.started", at: "t", runId: "r1", testSet: "S", domain: "d", stage: "s", instance: "i", total: 200 });
    for (let i = 0; i < 200; i++) {
      const tc = { at: "t", runId: "r1", testCaseId: `c${i}`, object: `o${i}`, testType: "SCHEMA", scenario: null };
      await n.notify({ type: "testcase.started", ...tc });
      await n.notify({ type: "testcase.finished", ...tc, result: "OK", status: "FINISHED", summary: "", durationMs: 1 });
      vi.advanceTimersByTime(5);
    }
    // 200 test cases over one second: about 10 frames, not 400.
    expect(stream.chunks.length).toBeLessThanOrEqual(13);
    await n.notify({ type: "run.finished", at: "t", runId: "r1", result: "OK", status: "FINISHED", counts: { total: 200, ok: 200, nok: 0, na: 0, error: 0 }, durationMs: 1000 });
    const screen = stream.screen();
    expect(screen).toHaveLength(202);
    expect(screen.at(-1)).toContain("200 test cases: 200 OK");
    expect(screen.filter((l) => l.includes("running") || l.includes("done:"))).toEqual([]);
  });

  it("fits the live block to the terminal", async () => {
    vi.useFakeTimers();
    const stream = new RecordingStream(true, 30, 5);
    const n = createStdoutNotifier({ verbose: false }, { stream, env: {}, now: () => Date.now() });
    for (let i = 0; i < 6; i++) {
      await n.notify({ type: "testcase.started", at: "t", runId: "r1", testCaseId: `c${i}`, object: `a_rather_long_object_name_${i}`, testType: "SCHEMA", scenario: null });
    }
    vi.advanceTimersByTime(100);
    const screen = stream.screen();
    // 5 rows: two running lines, the rest summed up, the counts line, and the cursor's line.
    expect(screen).toHaveLength(4);
    expect(screen[2]).toBe("  ... and 4 more running");
    expect(screen[3]).toBe("  0/? done: 0 OK, 0 NOK, 0 N…");
    for (const line of screen) expect(Array.from(line).length).toBeLessThan(30);
    await n.close();
    expect(stream.screen()).toEqual([]);
  });
});
