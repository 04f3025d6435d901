export { findTestSet, loadTestSetFile, loadTestSets, testSetFolder } from "./load.js";
export { TestSetYaml, TestCaseYaml } from "./schema.js";
