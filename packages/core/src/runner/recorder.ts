import type { Backend, Coordinates, RunEvent, TestObjectRef } from "@assay/ports";
import type { AssayConfig, ResolvedDomain } from "../config/schema.js";
import type { Fact, Spec, SpecType, TestCaseEntry, TestCaseResult } from "../model.js";
import type { SpecByType, TestCaseContext } from "../testtypes/types.js";

export interface RecorderInit {
  runId: string;
  testCaseId: string;
  entry: Pick<TestCaseEntry, "object" | "type" | "scenario">;
  at: Coordinates;
  specs: readonly Spec[];
  backend: Backend;
  /** The run's named connections; absent: none is declared. */
  connection?: (name: string) => Promise<Backend>;
  config: AssayConfig;
  domain: ResolvedDomain;
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
}

/**
 * The TestCaseContext a test type runs in; collects facts, details, diffs and the outcome.
 * Once sealed (the test case ended, e.g. by timeout) late writes from a still-running test
 * type are ignored, so a result never changes after it was stored.
 */
export class TestCaseRecorder implements TestCaseContext {
  readonly runId: string;
  readonly testCaseId: string;
  readonly entry: { object: string; type: string; scenario: string | null };
  readonly at: Coordinates;
  readonly object: TestObjectRef;
  readonly specs: readonly Spec[];
  readonly backend: Backend;
  readonly config: AssayConfig;
  readonly domain: ResolvedDomain;
  readonly signal: AbortSignal;
  readonly startedAt = new Date();
  readonly facts: Fact[] = [];
  readonly details: Fact[] = [];
  readonly diffs: Record<string, unknown> = {};
  outcome: { result: "OK" | "NOK" | "N/A"; summary: string } | null = null;
  #sealed = false;
  readonly #emit: (event: RunEvent) => void;
  readonly #connection: ((name: string) => Promise<Backend>) | undefined;

  constructor(init: RecorderInit) {
    this.runId = init.runId;
    this.testCaseId = init.testCaseId;
    this.entry = { object: init.entry.object, type: init.entry.type, scenario: init.entry.scenario };
    this.at = init.at;
    this.object = { ...init.at, name: init.entry.object };
    this.specs = init.specs;
    this.backend = init.backend;
    this.config = init.config;
    this.domain = init.domain;
    this.signal = init.signal;
    this.#emit = init.emit;
    this.#connection = init.connection;
  }

  connection(name: string): Promise<Backend> {
    if (!this.#connection) return Promise.reject(new Error(`No connection "${name}" is available to this run`));
    return this.#connection(name);
  }

  /** The fields every test case event carries. */
  ref() {
    return {
      at: new Date().toISOString(),
      runId: this.runId,
      testCaseId: this.testCaseId,
      object: this.entry.object,
      testType: this.entry.type,
      scenario: this.entry.scenario,
    };
  }

  spec<T extends SpecType>(type: T): SpecByType[T] | undefined {
    return this.specs.find((s) => s.type === type) as SpecByType[T] | undefined;
  }

  fact(name: string, value: Fact["value"]): void {
    if (!this.#sealed) this.facts.push({ name, value: bounded(value) });
  }

  detail(name: string, value: Fact["value"]): void {
    const kept = bounded(value);
    if (this.#sealed || this.details.some((d) => d.name === name && d.value === kept)) return;
    this.details.push({ name, value: kept });
  }

  diff(name: string, value: unknown): void {
    if (!this.#sealed) this.diffs[name] = value;
  }

  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      const durationMs = Math.round((performance.now() - start) * 100) / 100;
      if (!this.#sealed) {
        this.detail(`Duration of ${name} (ms)`, durationMs);
        this.#emit({ type: "testcase.step", ...this.ref(), step: name, durationMs });
      }
    }
  }

  warn(message: string): void {
    if (!this.#sealed) this.#emit({ type: "warning", at: new Date().toISOString(), runId: this.runId, testCaseId: this.testCaseId, message });
  }

  emitPrecondition(check: string, failure: string | null): void {
    if (!this.#sealed) this.#emit({ type: "testcase.precondition", ...this.ref(), check, passed: failure === null, message: failure });
  }

  conclude(result: "OK" | "NOK", summary: string): void {
    if (!this.#sealed) this.outcome = { result, summary };
  }

  notApplicable(summary: string): void {
    if (!this.#sealed) this.outcome = { result: "N/A", summary };
  }

  seal(): void {
    this.#sealed = true;
  }

  toResult(status: TestCaseResult["status"], result: TestCaseResult["result"], summary: string): TestCaseResult {
    const ended = new Date();
    return {
      id: this.testCaseId,
      runId: this.runId,
      object: this.entry.object,
      type: this.entry.type,
      scenario: this.entry.scenario,
      at: this.at,
      result,
      status,
      summary: bounded(summary),
      specs: this.specs.map((s) => s.path),
      facts: this.facts,
      details: this.details,
      diff: this.diffs,
      startedAt: this.startedAt.toISOString(),
      endedAt: ended.toISOString(),
      durationMs: ended.getTime() - this.startedAt.getTime(),
    };
  }
}

/** The longest string a fact, detail or summary keeps: a result stays small whatever a test type or an error quotes. */
export const MAX_STORED_TEXT = 8000;

function bounded<T extends Fact["value"]>(value: T): T {
  if (typeof value !== "string" || value.length <= MAX_STORED_TEXT) return value;
  return `${value.slice(0, MAX_STORED_TEXT)}… (${value.length - MAX_STORED_TEXT} more characters left out)` as T;
}
