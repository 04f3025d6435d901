export { runTestSet, type RunOptions } from "./run-test-set.js";
export { countResults, exitCodeOfResult, runResult, testCaseOutcome } from "./counts.js";
export { NotifierHub, notifierLabel, type NotifierHubOptions } from "./notifier-hub.js";
export { boundedStorage, callWithDeadline, DEFAULT_CALL_TIMEOUT_MS, PluginTimeout, withDeadline } from "./deadline.js";
export { RunInterrupted } from "./errors.js";
export { runLiveness, settleStoredRun, type RunLiveness } from "./stored-run.js";
