import type { TestCaseResult } from "../model.js";
import type { TestTypeDefinition, TestTypeRegistry } from "../testtypes/index.js";
import { describeError, RunInterrupted, TestCaseTimeout } from "./errors.js";
import type { TestCaseRecorder } from "./recorder.js";

/** Preconditions in order; the first that fails ends the test case N/A (status ABORTED). */
async function checkPreconditions(recorder: TestCaseRecorder, testType: TestTypeDefinition, registry: TestTypeRegistry): Promise<TestCaseResult | null> {
  for (const name of testType.preconditions) {
    const check = registry.precondition(name);
    if (!check) throw new Error(`Test type ${testType.name} lists the precondition "${name}", which is not registered`);
    let failure: string | null;
    try {
      failure = await check(recorder, testType);
    } catch (error) {
      if (error instanceof TestCaseTimeout || recorder.signal.aborted) throw error;
      throw new Error(`Precondition "${name}" could not be checked: ${describeError(error)}`, { cause: error });
    }
    recorder.emitPrecondition(name, failure);
    if (failure !== null) return recorder.toResult("ABORTED", "N/A", failure);
  }
  return null;
}

async function runCore(recorder: TestCaseRecorder, testType: TestTypeDefinition, registry: TestTypeRegistry): Promise<TestCaseResult> {
  const stopped = await checkPreconditions(recorder, testType, registry);
  if (stopped) return stopped;
  await testType.execute(recorder);
  const outcome = recorder.outcome;
  if (!outcome) return recorder.toResult("ERROR", "N/A", `Test type ${testType.name} ended without a result.`);
  return recorder.toResult(outcome.result === "N/A" ? "ABORTED" : "FINISHED", outcome.result, outcome.summary);
}

/**
 * Runs one test case to a result, whatever happens: preconditions, then the test type, raced
 * against the deadline. On timeout the controller behind recorder.signal is aborted (so the
 * backend can cancel its query) and the result is ERROR at once, even if the backend ignores
 * the signal; the stuck work is left to settle on its own and its outcome is discarded. When
 * the controller is aborted from outside with a RunInterrupted (Ctrl-C), the test case ends
 * at once the same way, N/A with status ABORTED.
 */
export async function executeTestCase(
  recorder: TestCaseRecorder,
  testType: TestTypeDefinition | undefined,
  registry: TestTypeRegistry,
  timeoutMs: number,
  abort: AbortController,
): Promise<TestCaseResult> {
  if (!testType) {
    return recorder.toResult("ERROR", "N/A", `Unknown test type ${recorder.entry.type}; known: ${registry.names().join(", ")}.`);
  }
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const timeout = new TestCaseTimeout(timeoutMs);
      abort.abort(timeout);
      reject(timeout);
    }, timeoutMs);
    onAbort = () => reject(abort.signal.reason instanceof Error ? abort.signal.reason : new RunInterrupted("interrupted"));
    if (abort.signal.aborted) onAbort();
    else abort.signal.addEventListener("abort", onAbort, { once: true });
  });
  const core = runCore(recorder, testType, registry);
  core.catch(() => undefined);
  try {
    return await Promise.race([core, deadline]);
  } catch (error) {
    if (error instanceof TestCaseTimeout) return recorder.toResult("ERROR", "N/A", `Test case ${error.message}.`);
    if (error instanceof RunInterrupted) return recorder.toResult("ABORTED", "N/A", `Stopped: the run was ${error.why === "interrupted" ? "interrupted" : `interrupted (${error.why})`}.`);
    return recorder.toResult("ERROR", "N/A", `Technical error: ${describeError(error)}`);
  } finally {
    clearTimeout(timer);
    if (onAbort) abort.signal.removeEventListener("abort", onAbort);
    recorder.seal();
  }
}
