import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOneParagraph, runCli, scratchProject } from "./helpers.js";

/**
 * An unset ${env:NAME} in a plugin's options matters only to commands that create that plugin:
 * reading stored results must not need the database password.
 */
const FILES = {
  "assay.config.yaml": [
    "backend: { use: dummy, options: { delayMs: \"${env:ASSAY_TEST_UNSET_DELAY}\" } }",
    "storage: file:.assay",
    "domains:",
    "  shop:",
    "    stages: { test: [main] }",
    "",
  ].join("\n"),
  "testsets/green.yaml": ["name: Green", "domain: shop", "stage: test", "instance: main", "testcases:", "  - { object: x, type: dummy_ok }", ""].join("\n"),
};

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await scratchProject(FILES));
});
afterAll(async () => {
  await cleanup();
});

describe("unset environment variables in plugin options", () => {
  it("do not stop commands that never create that plugin", async () => {
    for (const args of [["list", "runs"], ["list", "testsets"], ["plugins"]]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    }
  });

  it("stop `run` and `config` with exit 2, naming the variable, key and line", async () => {
    for (const args of [["run", "Green"], ["config"]]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(" ")).toBe(2);
      expect(expectOneParagraph(result.stderr)).toMatch(
        /assay.config.yaml:1:\d+, key backend.options.delayMs: Environment variable ASSAY_TEST_UNSET_DELAY is not set/,
      );
    }
  });
});
