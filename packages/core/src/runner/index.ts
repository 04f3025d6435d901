export { runTestSet, type RunOptions } from "./run-test-set.js";
export { countResults, runResult } from "./counts.js";
export { NotifierHub } from "./notifier-hub.js";
