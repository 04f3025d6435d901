import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOneParagraph, runCli, scratchProject, writeFiles } from "./helpers.js";

/**
 * A corpus of bad configuration files: each must be refused by `assay config` with the given
 * exit code, one paragraph, and a message that contains the fragment (where and what).
 */
interface BadConfig {
  name: string;
  yaml: string;
  fragment: RegExp;
  code: number;
  env?: Record<string, string>;
}

const DOMAIN = "domains:\n  sales:\n    stages: { test: [main] }\n";

const corpus: BadConfig[] = [
  { name: "unclosed flow sequence", yaml: "notifiers: [stdout\nformat: json\n", fragment: /^assay.config.yaml:\d+:\d+: YAML syntax error/, code: 2 },
  { name: "duplicate key", yaml: "format: json\nformat: json\n", fragment: /^assay.config.yaml:2:1: YAML syntax error: Map keys must be unique/, code: 2 },
  { name: "bad indentation", yaml: "run:\n  concurrency: 2\n timeoutMs: 1000\n", fragment: /^assay.config.yaml:3:\d+: YAML syntax error/, code: 2 },
  { name: "unknown top-level key", yaml: "bakend:\n  use: dummy\n", fragment: /^assay.config.yaml:1:1, key bakend: Unknown key "bakend"/, code: 2 },
  { name: "unknown key inside a domain", yaml: `${DOMAIN}    stage: test\n`, fragment: /:4:5, key domains.sales.stage: Unknown key "stage"/, code: 2 },
  { name: "concurrency of the wrong type", yaml: "run:\n  concurrency: many\n", fragment: /:2:16, key run.concurrency: Invalid configuration: .*found string "many"/, code: 2 },
  { name: "concurrency out of range", yaml: "run:\n  concurrency: 0\n", fragment: /key run.concurrency: Invalid configuration: .*>=1/, code: 2 },
  { name: "plugins is not a list", yaml: "plugins: ./plugins\n", fragment: /:1:10, key plugins: Invalid configuration: .*found string/, code: 2 },
  { name: "top level is a list", yaml: "- format: json\n", fragment: /Invalid configuration: .*object.*found a list/, code: 2 },
  { name: "domain without stages", yaml: "domains:\n  sales:\n    stages: {}\n", fragment: /key domains.sales.stages: Invalid configuration: declare at least one stage/, code: 2 },
  { name: "stage without instances", yaml: "domains:\n  sales:\n    stages: { test: [] }\n", fragment: /key domains.sales.stages.test: Invalid configuration/, code: 2 },
  { name: "domain name with a space", yaml: "domains:\n  'sales team':\n    stages: { test: [main] }\n", fragment: /:2:3, key domains.sales team: Invalid name "sales team": use letters, digits/, code: 2 },
  { name: "spec folder for an undeclared stage", yaml: `${DOMAIN}    specs: { uat: specs/uat }\n`, fragment: /:4:14, key domains.sales.specs.uat: Spec folder given for stage "uat", which domain sales does not declare/, code: 2 },
  { name: "negative compare tolerance", yaml: `${DOMAIN}    compare: { tolerance: { default: -1 } }\n`, fragment: /key domains.sales.compare.tolerance.default: Invalid configuration/, code: 2 },
  { name: "missing environment variable", yaml: "backend:\n  use: dummy\n  options:\n    url: ${env:ASSAY_TEST_UNSET_VARIABLE}\n", fragment: /:4:10, key backend.options.url: Environment variable ASSAY_TEST_UNSET_VARIABLE is not set/, code: 2 },
  { name: "malformed environment reference", yaml: "format: ${env:1BAD}\n", fragment: /key format: Invalid environment reference \$\{env:1BAD\}/, code: 2 },
  { name: "storage location without a scheme", yaml: "storage: results\n", fragment: /:1:10, key storage: Storage location "results" has no URL scheme/, code: 2 },
  { name: "storage scheme nobody serves", yaml: "storage:\n  location: s3://bucket/assay\n", fragment: /:2:13, key storage.location: No installed storage plugin serves the scheme "s3:".*(file:.*memory:|memory:.*file:)/, code: 2 },
  { name: "storage option nobody accepts", yaml: "storage:\n  location: memory:x\n  options: { size: 3 }\n", fragment: /key storage.options: Invalid option for storage "dict"/, code: 2 },
  { name: "unknown backend", yaml: `backend: { use: oracle }\n${DOMAIN}`, fragment: /:1:17, key backend.use: No backend plugin named "oracle".*install the package that provides "oracle"/, code: 2 },
  { name: "misspelt backend", yaml: `backend: { use: duckbd }\n${DOMAIN}`, fragment: /:1:17, key backend.use: No backend plugin named "duckbd".*Did you mean "duckdb"\?/, code: 2 },
  { name: "unknown domain backend", yaml: `${DOMAIN}    backend: { use: bigquery }\n`, fragment: /:4:21, key domains.sales.backend.use: No backend plugin named "bigquery"/, code: 2 },
  { name: "unknown notifier", yaml: "notifiers: [stdout, slack]\n", fragment: /:1:21, key notifiers.1: No notifier plugin named "slack"/, code: 2 },
  { name: "unknown format", yaml: "format: xml\n", fragment: /:1:9, key format: No formatter plugin named "xml"/, code: 2 },
  { name: "notifier option of the wrong type", yaml: "notifiers:\n  - { use: memory, options: { limit: -5 } }\n", fragment: /key notifiers.0.options.limit: Invalid option for notifier "memory" at limit/, code: 2 },
  { name: "unresolvable plugin folder", yaml: "plugins: [./nowhere]\n", fragment: /:1:11, key plugins.0: Plugin folder .\/nowhere listed in plugins: does not exist/, code: 2 },
];

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await scratchProject());
});
afterAll(async () => {
  await cleanup();
});

describe("bad configuration corpus", () => {
  it("has at least 12 cases", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(12);
  });

  it.each(corpus)("$name", async ({ yaml, fragment, code, env }) => {
    const name = `case-${corpus.findIndex((c) => c.yaml === yaml)}`;
    await writeFiles(dir, { [`${name}/assay.config.yaml`]: yaml });
    const result = await runCli(["config"], { cwd: `${dir}/${name}`, env });
    expect(result.code).toBe(code);
    expect(expectOneParagraph(result.stderr)).toMatch(fragment);
    expect(result.stdout).toBe("");
  });

  it("refuses a --config file that does not exist", async () => {
    const result = await runCli(["--config", "conf/missing.yaml", "config"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(/^conf\/missing.yaml: Config file conf\/missing.yaml does not exist.*\[CONFIG_NOT_FOUND\]$/);
  });
});
