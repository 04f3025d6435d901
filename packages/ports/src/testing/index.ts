/**
 * Contract suites, one per port. An adapter runs the suite of its port in its own tests;
 * a third-party plugin author runs the same suite (vitest is a peer dependency here).
 */
export { describeBackendContract, type BackendContractOptions } from "./backend-contract.js";
export { describeStorageContract, REFUSED_STORAGE_KEYS } from "./storage-contract.js";
export { describeFormatterContract } from "./formatter-contract.js";
export { describeNotifierContract, SAMPLE_RUN_EVENTS } from "./notifier-contract.js";
export { CONTRACT_TABLE, contractTableSql } from "./fixture.js";
export { describeReporterContract, renderToBuffer, type ReporterContractOptions } from "./reporter-contract.js";
export { SAMPLE_REPORT_RUNS, largeReportSource } from "./reporter-fixture.js";
