import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findTestSet, loadTestSetFile, loadTestSets } from "../src/testsets/load.js";
import { builtinTestTypes } from "../src/testtypes/builtin.js";
import { makeConfig } from "./support/config.js";
import { writeTree } from "./support/files.js";

const partial = `name: Payments Partial
description: the core tables
domain: payments
stage: test
instance: alpha
labels: [regression]
testcases:
  - { object: stage_accounts, type: schema }
  - { object: core_account_payments, type: Compare, scenario: q4, comment: quarter end }
  - { object: core_account_payments, type: compare, scenario: 2024 }
`;

describe("test sets", () => {
  it("reads a test set with upper-case types, scenarios as text and lines", async () => {
    const config = makeConfig();
    writeTree(config.root, { "testsets/partial.yaml": partial });
    const set = await loadTestSetFile(config, "testsets/partial.yaml");
    expect(set).toEqual({
      name: "Payments Partial", description: "the core tables", file: "testsets/partial.yaml", domain: "payments", stage: "test", instance: "alpha", labels: ["regression"],
      testcases: [
        { object: "stage_accounts", type: "SCHEMA", scenario: null, line: 8 },
        { object: "core_account_payments", type: "COMPARE", scenario: "q4", line: 9, comment: "quarter end" },
        { object: "core_account_payments", type: "COMPARE", scenario: "2024", line: 10 },
      ],
    });
  });

  it("loads every file, returning broken ones and duplicate names as errors", async () => {
    const config = makeConfig();
    writeTree(config.root, {
      "testsets/a.yaml": partial,
      "testsets/b.yml": partial.replace("Payments Partial", "payments partial"),
      "testsets/c.yaml": "name: [",
      "testsets/notes.txt": "ignored",
    });
    const { testSets, errors } = await loadTestSets(config);
    // Two files named alike: neither is used, both are named.
    expect(testSets.map((s) => s.file)).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining("YAML syntax error"),
      '2 test set files are named "Payments Partial": testsets/a.yaml, testsets/b.yml',
    ]);
    expect(await loadTestSets(makeConfig())).toEqual({ testSets: [], errors: [], broken: [] });
  });

  it("finds a test set by path, name or file name, case-insensitively", async () => {
    const config = makeConfig();
    writeTree(config.root, { "testsets/partial.yaml": partial, "testsets/broken.yaml": "name: Broken\n" });
    expect((await findTestSet(config, "payments PARTIAL")).file).toBe("testsets/partial.yaml");
    expect((await findTestSet(config, "partial")).name).toBe("Payments Partial");
    expect((await findTestSet(config, join(config.root, "testsets/partial.yaml"))).name).toBe("Payments Partial");
    await expect(findTestSet(config, "broken")).rejects.toMatchObject({ code: "TESTSET_INVALID" });
    await expect(findTestSet(config, "nothing")).rejects.toMatchObject({ code: "TESTSET_NOT_FOUND", expected: "one of: Payments Partial" });
    await expect(loadTestSetFile(config, "testsets/absent.yaml")).rejects.toMatchObject({ code: "TESTSET_NOT_FOUND" });
  });

  it("accepts test types a plugin registered", async () => {
    const config = makeConfig();
    writeTree(config.root, { "testsets/x.yaml": partial.replace("type: schema", "type: freshness") });
    await expect(loadTestSetFile(config, "testsets/x.yaml")).rejects.toThrow(/Unknown test type "freshness"/);
    const types = builtinTestTypes().register({ name: "freshness", requiredSpecs: [], optionalSpecs: [], preconditions: [], execute: async () => undefined });
    expect((await loadTestSetFile(config, "testsets/x.yaml", types)).testcases[0]!.type).toBe("FRESHNESS");
  });
});
