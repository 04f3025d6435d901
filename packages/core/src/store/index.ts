export { ResultStore, type ListRunsFilter, type ListedRun } from "./result-store.js";
export { type RunIndexEntry, runHeaderKey, resultKey } from "./keys.js";
export { newRunId, runIdDate, slug } from "./run-id.js";
