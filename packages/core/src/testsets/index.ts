export { DuplicateTestSetName, findTestSet, loadTestSetFile, loadTestSets, testSetFolder, type BrokenTestSet } from "./load.js";
export { TestSetYaml, TestCaseYaml } from "./schema.js";
