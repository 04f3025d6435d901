/**
 * Contract suites, one per port. An adapter runs the suite of its port in its own tests;
 * a third-party plugin author runs the same suite (vitest is a peer dependency here).
 */
export {
  backendContractChecks,
  describeBackendContract,
  runBackendContract,
  type BackendContractOptions,
  type ContractOutcome,
} from "./backend-contract.js";
export { WRITE_FORMS } from "./backend-checks/read-only.js";
export type { BackendCheck, ContractEnv, WriteForm } from "./backend-checks/support.js";
export { retryOnTimeout } from "./backend-checks/support.js";
export { describeStorageContract, REFUSED_STORAGE_KEYS } from "./storage-contract.js";
export { describeFormatterContract } from "./formatter-contract.js";
export { describeNotifierContract, SAMPLE_RUN_EVENTS } from "./notifier-contract.js";
export * from "./fixture.js";
export { compareOracle, type OracleResult } from "./compare-oracle.js";
export { COMPARE_CASES, type CompareCase, type CompareCounts } from "./compare-cases.js";
export { POLICY_CASES, POLICY_VIEW_CASES, POLICY_VIEWS, type PolicyViewCase } from "./compare-policies.js";
export { randomCompareFixtures, RANDOM_COMPARE_SEEDS, type RandomCompareFixture } from "./random-fixture.js";
export { describeReporterContract, renderToBuffer, type ReporterContractOptions } from "./reporter-contract.js";
export { SAMPLE_REPORT_RUNS, largeReportSource } from "./reporter-fixture.js";
export { describeCrossEngineCompare, type CrossCompare, type CrossEngine, type CrossSide } from "./cross-compare-contract.js";
