import { ConfigError } from "@assay/ports";
import type { AssayConfig } from "../config/schema.js";
import { testCaseIdentifier, type TestCaseEntry, type TestSet } from "../model.js";
import type { TestTypeRegistry } from "../testtypes/registry.js";
import type { YamlSource } from "../yaml-source.js";
import type { TestSetYaml } from "./schema.js";

const FIX_DOMAINS = "Domains, stages and instances are declared under domains: in assay.config.yaml.";

/**
 * The checks zod cannot make: the domain, stage and instance exist in the config, every test
 * type is known, and no test case appears twice. Each error names the file and line.
 */
export function checkTestSet(config: AssayConfig, source: YamlSource, raw: TestSetYaml, testTypes: TestTypeRegistry): TestSet {
  const fail = (path: PropertyKey[], message: string, expected: string, fix: string): never => {
    throw new ConfigError("TESTSET_INVALID", message, { where: source.locate(path), expected, fix });
  };
  const domain = config.domains[raw.domain];
  if (!domain) {
    const known = Object.keys(config.domains);
    fail(["domain"], `Unknown domain "${raw.domain}"`, known.length ? `one of: ${known.join(", ")}` : "a domain declared in assay.config.yaml", FIX_DOMAINS);
  }
  const instances = domain!.stages[raw.stage];
  if (!instances) {
    fail(["stage"], `Stage "${raw.stage}" is not declared for domain "${raw.domain}"`, `one of: ${Object.keys(domain!.stages).join(", ")}`, FIX_DOMAINS);
  }
  if (!instances!.includes(raw.instance)) {
    fail(["instance"], `Instance "${raw.instance}" is not declared for stage "${raw.stage}" of domain "${raw.domain}"`, `one of: ${instances!.join(", ")}`, FIX_DOMAINS);
  }
  const seen = new Map<string, number>();
  const ids = new Map<string, { line: number | null; what: string }>();
  const testcases: TestCaseEntry[] = raw.testcases.map((tc, i) => {
    const line = source.locate(["testcases", i]).line ?? null;
    const type = testTypes.get(tc.type);
    if (!type) {
      // The dummy_* types exist for testing assay with the dummy backend: listed only there.
      const listed = testTypes.names().filter((n) => !n.startsWith("DUMMY_") || domain!.backend.use === "dummy");
      fail(["testcases", i, "type"], `Unknown test type "${tc.type}"`, `one of: ${listed.map((n) => n.toLowerCase()).join(", ")}`, "Test types are read case-insensitively.");
    }
    const entry: TestCaseEntry = { object: tc.object, type: type!.name, scenario: tc.scenario ?? null, line, ...(tc.comment ? { comment: tc.comment } : {}) };
    const identity = `${entry.object}\u0000${entry.type}\u0000${entry.scenario ?? ""}`;
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      const what = `${entry.object} ${entry.type.toLowerCase()}${entry.scenario ? ` (scenario ${entry.scenario})` : ""}`;
      fail(["testcases", i], `Test case ${what} appears twice: at line ${earlier} and line ${line ?? "?"}`, "each test case once", "Remove one of them, or give them different scenarios.");
    }
    seen.set(identity, line ?? 0);
    // Results are stored and shown by identifier: two test cases that differ but share one
    // (object x_SCHEMA with type rowcount, object x with type schema and scenario ROWCOUNT)
    // would overwrite each other's result.
    const id = testCaseIdentifier(entry).toLowerCase();
    const clash = ids.get(id);
    if (clash !== undefined) {
      fail(
        ["testcases", i],
        `Test case at line ${line ?? "?"} has the identifier ${testCaseIdentifier(entry)}, as the test case at line ${clash.line ?? "?"} (${clash.what}) has: their results would overwrite each other`,
        "test cases whose identifiers (object_TYPE_scenario, compared case-insensitively) differ",
        "Rename the object or the scenario of one of them.",
      );
    }
    ids.set(id, { line, what: `object ${entry.object}, type ${entry.type.toLowerCase()}${entry.scenario ? `, scenario ${entry.scenario}` : ""}` });
    return entry;
  });
  return {
    name: raw.name,
    description: raw.description ?? "",
    file: source.file,
    domain: raw.domain,
    stage: raw.stage,
    instance: raw.instance,
    labels: raw.labels ?? [],
    testcases,
  };
}
