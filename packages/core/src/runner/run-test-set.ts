import { hostname } from "node:os";
import pLimit from "p-limit";
import { ConfigError, isAssayError, type Backend, type Notifier, type RunEvent } from "@assay/ports";
import type { AssayConfig, ResolvedDomain } from "../config/schema.js";
import { testCaseIdentifier, type ShardOfRun, type Spec, type TestCaseResult, type TestRun, type TestSet } from "../model.js";
import { discoverSpecs } from "../specs/discover.js";
import { specsForTestCase } from "../specs/match.js";
import type { ResultStore } from "../store/result-store.js";
import { newRunId } from "../store/run-id.js";
import { builtinTestTypes } from "../testtypes/builtin.js";
import type { TestTypeRegistry } from "../testtypes/registry.js";
import { withBreaker, type BackendBreaker } from "./backend-breaker.js";
import { countResults, runResult } from "./counts.js";
import { callWithDeadline, DEFAULT_CALL_TIMEOUT_MS } from "./deadline.js";
import { describeError, RunInterrupted } from "./errors.js";
import { executeTestCase } from "./execute-test-case.js";
import { checkSpecConnections, Connections } from "./connections.js";
import { NotifierHub } from "./notifier-hub.js";
import { TestCaseRecorder } from "./recorder.js";

export interface RunOptions {
  config: AssayConfig;
  testSet: TestSet;
  /** Overrides the test set's stage / instance. */
  stage?: string;
  instance?: string;
  /**
   * Creates the run's one backend. One per run, not per test case: adapters pool connections
   * and may open an engine (DuckDB attaches files), so sharing one across the run's test cases
   * is both faster and the only way to bound connections. It is closed when the run ends.
   * If it throws an infrastructure error, the run is stored with status ERROR and every test
   * case ERROR; an input, usage or plugin error (options it cannot use) is thrown before
   * anything is stored.
   */
  backend: () => Promise<Backend>;
  /**
   * Creates a named connection of the config's `connections:` (a compare spec's expected query
   * runs there). Called at most once per name, when a test case first needs it; each one is
   * closed when the run ends. Absent: no connection can be used.
   */
  connections?: (name: string) => Promise<Backend>;
  store: ResultStore;
  notifiers: Notifier[];
  /** Test cases at a time; default config.run.concurrency. */
  concurrency?: number;
  /** Per test case; default config.run.timeoutMs. */
  timeoutMs?: number;
  /**
   * Ctrl-C or SIGTERM: no new test case starts, the running ones are stopped at once (their
   * signals abort, so backends cancel their queries) and end N/A with status ABORTED, and the
   * run is stored as ABORTED. Abort it with a RunInterrupted to say why.
   */
  signal?: AbortSignal;
  /**
   * Deadline of each call to a plugin outside a test case: storing, notifying, creating and
   * closing the backend. Default config.run.callTimeoutMs.
   */
  callTimeoutMs?: number;
  /** What warnings call a notifier (the config's name for it). */
  notifierName?: (notifier: Notifier) => string | undefined;
  testTypes?: TestTypeRegistry;
  /** Already discovered specs; default: discovered from the stage's spec folder. */
  specs?: Spec[];
  runId?: string;
  /** Recorded with the run when it is one shard of a selection (its test set then holds the shard's test cases only). */
  shard?: ShardOfRun;
}

function targetOf(options: RunOptions): { domain: ResolvedDomain; stage: string; instance: string } {
  const { config, testSet } = options;
  const stage = options.stage ?? testSet.stage;
  const instance = options.instance ?? testSet.instance;
  const domain = config.domains[testSet.domain];
  const where = { file: testSet.file };
  if (!domain) {
    throw new ConfigError("TESTSET_INVALID", `Test set "${testSet.name}" names domain "${testSet.domain}", which is not declared`, {
      where, expected: `one of: ${Object.keys(config.domains).join(", ") || "(none declared)"}`, fix: "Declare the domain in assay.config.yaml.",
    });
  }
  const instances = domain.stages[stage];
  if (!instances) {
    throw new ConfigError("USAGE", `Stage "${stage}" is not declared for domain "${domain.name}"`, {
      where, expected: `one of: ${Object.keys(domain.stages).join(", ")}`, fix: "Use a declared stage (--stage).",
    });
  }
  if (!instances.includes(instance)) {
    throw new ConfigError("USAGE", `Instance "${instance}" is not declared for stage "${stage}" of domain "${domain.name}"`, {
      where, expected: `one of: ${instances.join(", ")}`, fix: "Use a declared instance (--instance).",
    });
  }
  return { domain, stage, instance };
}

/**
 * Runs a test set to a stored, final run. Throws only for invalid input (undeclared stage or
 * instance) before anything runs; every later failure is recorded: in the test case it hit
 * (status ERROR), or in the run (status ERROR) when the backend cannot be created.
 */
export async function runTestSet(options: RunOptions): Promise<{ run: TestRun; results: TestCaseResult[] }> {
  const { config, testSet, store } = options;
  const { domain, stage, instance } = targetOf(options);
  const testTypes = options.testTypes ?? builtinTestTypes();
  const concurrency = Math.max(1, options.concurrency ?? config.run.concurrency);
  const timeoutMs = options.timeoutMs ?? config.run.timeoutMs;
  const started = new Date();
  const runId = options.runId ?? newRunId(started);
  const at = { domain: testSet.domain, stage, instance };
  const entries = testSet.testcases.map((e) => ({ ...e, type: e.type.toUpperCase() }));
  const callTimeoutMs = options.callTimeoutMs ?? config.run.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const hub = new NotifierHub(options.notifiers, runId, { timeoutMs: callTimeoutMs, nameOf: options.notifierName });
  const storage = `The storage ${store.storage.location}`;
  const bounded = <T>(what: string, call: () => Promise<T>) => callWithDeadline(call, callTimeoutMs, what);
  const now = () => new Date().toISOString();
  const warn = (message: string, testCaseId: string | null = null) => hub.emit({ type: "warning", at: now(), runId, testCaseId, message });

  const run: TestRun = {
    id: runId,
    testSet: { name: testSet.name, file: testSet.file, labels: testSet.labels },
    domain: testSet.domain,
    stage,
    instance,
    status: "EXECUTING",
    result: "N/A",
    startedAt: started.toISOString(),
    endedAt: null,
    counts: countResults(entries.length, []),
    testcases: entries.map((e) => ({ id: testCaseIdentifier(e), object: e.object, type: e.type, scenario: e.scenario })),
    message: null,
    ...(options.shard ? { shard: options.shard } : {}),
    process: { pid: process.pid, host: hostname() },
  };
  let backend: Backend | null = null;
  let breaker: BackendBreaker | null = null;
  let runFailure: string | null = null;
  let specs: Spec[] = [];
  try {
    specs = options.specs ?? (await discoverSpecs(config, testSet.domain, stage));
  } catch (error) {
    runFailure = `The specs could not be read: ${describeError(error)}`;
  }
  const connectionNames = Object.keys(config.connections ?? {});
  const objects = new Set(entries.map((e) => e.object));
  if (runFailure === null) checkSpecConnections(specs.filter((s) => objects.has(s.object)), connectionNames);
  const connections = new Connections(options.connections, connectionNames, callTimeoutMs);
  if (runFailure === null) {
    try {
      backend = await bounded("The backend (creating it)", options.backend);
      breaker = withBreaker(backend);
    } catch (error) {
      // Options the backend cannot use (a malformed URL) are the config's fault: nothing runs.
      if (isAssayError(error) && error.category !== "infrastructure" && error.category !== "internal") throw error;
      runFailure = `The backend could not be created: ${describeError(error)}`;
    }
  }

  hub.emit({ type: "run.started", at: run.startedAt, runId, testSet: testSet.name, domain: domain.name, stage, instance, total: entries.length });
  try {
    await bounded(storage, () => store.startRun(run));
  } catch (error) {
    warn(`The run could not be stored: ${describeError(error)}`);
  }

  const results: TestCaseResult[] = new Array<TestCaseResult>(entries.length);
  const finishTestCase = async (index: number, recorder: TestCaseRecorder, result: TestCaseResult) => {
    let final = result;
    try {
      await bounded(storage, () => store.saveResult(final));
    } catch (error) {
      final = { ...final, status: "ERROR", result: "N/A", summary: `The result could not be stored: ${describeError(error)} (it was ${result.result}: ${result.summary})` };
      warn(final.summary, final.id);
    }
    results[index] = final;
    hub.emit({ type: "testcase.finished", ...recorder.ref(), result: final.result, status: final.status, summary: final.summary, durationMs: final.durationMs ?? 0 });
  };

  const recorderFor = (index: number, signal: AbortSignal) => {
    const entry = entries[index]!;
    const testType = testTypes.get(entry.type);
    return {
      testType,
      recorder: new TestCaseRecorder({
        runId, testCaseId: run.testcases[index]!.id, entry, at,
        specs: testType ? specsForTestCase(specs, entry, testType) : [],
        backend: (breaker?.backend ?? backend)!, connection: (name: string) => connections.get(name), config, domain, signal, emit: (e: RunEvent) => hub.emit(e),
      }),
    };
  };

  const limit = pLimit(concurrency);
  try {
    await Promise.all(
      entries.map((_, index) =>
        limit(async () => {
          const abort = new AbortController();
          const { recorder, testType } = recorderFor(index, abort.signal);
          // Interrupting the run stops this test case at once: its signal aborts, so the backend cancels its query.
          const interrupt = () => abort.abort(interruption(options.signal!));
          options.signal?.addEventListener("abort", interrupt, { once: true });
          let result: TestCaseResult;
          try {
            if (runFailure !== null) result = recorder.toResult("ERROR", "N/A", runFailure);
            else if (options.signal?.aborted) result = recorder.toResult("ABORTED", "N/A", "not started: run aborted");
            else if (breaker?.failure()) result = recorder.toResult("ERROR", "N/A", `not run: the backend failed earlier in this run [${breaker.failure()!.code}]`);
            else {
              hub.emit({ type: "testcase.started", ...recorder.ref() });
              result = await executeTestCase(recorder, testType, testTypes, timeoutMs, abort);
            }
          } catch (error) {
            result = recorder.toResult("ERROR", "N/A", `Technical error: ${describeError(error)}`);
          } finally {
            options.signal?.removeEventListener("abort", interrupt);
          }
          await finishTestCase(index, recorder, result);
        }),
      ),
    );
  } finally {
    const opened = backend;
    if (opened) await bounded("The backend (closing it)", () => opened.close()).catch((error: unknown) => warn(`Closing the backend failed: ${describeError(error)}`));
    for (const failure of await connections.close()) warn(`Closing the connection "${failure.name}" failed: ${describeError(failure.error)}`);
  }

  const ended = new Date();
  run.counts = countResults(entries.length, results);
  run.endedAt = ended.toISOString();
  const backendFailure = breaker?.failure();
  if (runFailure === null && backendFailure) runFailure = `The backend failed and the run stopped using it: ${describeError(backendFailure)}`;
  const aborted = options.signal?.aborted === true;
  run.status = runFailure !== null ? "ERROR" : aborted ? "ABORTED" : "FINISHED";
  run.result = runResult(run.counts, run.status);
  run.message =
    runFailure ??
    (aborted
      ? `Run aborted (${interruption(options.signal!).why}): test cases running then or not started are N/A.`
      : entries.length === 0
        ? "The test set has no test cases."
        : null);
  try {
    await bounded(storage, () => store.finishRun(run));
  } catch (error) {
    run.status = "ERROR";
    run.message = `The finished run could not be stored: ${describeError(error)}`;
    warn(run.message);
  }
  run.result = runResult(run.counts, run.status);
  hub.emit({ type: "run.finished", at: run.endedAt, runId, result: run.result, status: run.status, counts: run.counts, durationMs: ended.getTime() - started.getTime() });
  await hub.flush();
  return { run, results };
}

/** Why the run was interrupted, from its signal's reason. */
function interruption(signal: AbortSignal): RunInterrupted {
  const reason: unknown = signal.reason;
  if (reason instanceof RunInterrupted) return reason;
  return new RunInterrupted(typeof reason === "string" ? reason : "interrupted");
}
