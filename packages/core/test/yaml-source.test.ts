import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AssayError } from "@assay/ports";
import { parseYamlSource, yamlIssueError } from "../src/yaml-source.js";

describe("parseYamlSource", () => {
  it("reports a syntax error with line and column", () => {
    try {
      parseYamlSource("a: 1\nb: [1, 2\nc: 3\n", "assay.config.yaml");
      expect.unreachable();
    } catch (e) {
      const error = e as AssayError;
      expect(error.code).toBe("CONFIG_SYNTAX");
      expect(error.where?.file).toBe("assay.config.yaml");
      expect(error.where?.line).toBeGreaterThanOrEqual(2);
      expect(error.toParagraph()).toMatch(/^assay.config.yaml:\d+:\d+: YAML syntax error/);
    }
  });

  it("refuses duplicate keys", () => {
    expect(() => parseYamlSource("a: 1\na: 2\n", "f.yaml")).toThrow(/YAML syntax error/);
  });

  it("locates nested keys and list items", () => {
    const source = parseYamlSource("domains:\n  payments:\n    stages:\n      test: [alpha]\n", "f.yaml");
    expect(source.locate(["domains", "payments", "stages", "test"])).toMatchObject({ line: 4, key: "domains.payments.stages.test" });
    expect(source.locate(["domains", "payments", "nope"])).toMatchObject({ line: 3 });
  });

  it("turns an unknown key into a located error", () => {
    const source = parseYamlSource("backend:\n  use: duckdb\nbakend: x\n", "assay.config.yaml");
    const result = z.strictObject({ backend: z.object({ use: z.string() }) }).safeParse(source.value);
    expect(result.success).toBe(false);
    const error = yamlIssueError(source, result.error!.issues[0]!, "CONFIG_INVALID", "configuration", "See the docs.");
    expect(error.toParagraph()).toMatch(/assay.config.yaml:3:1, key bakend: Unknown key "bakend"/);
  });

  it("says what type was found", () => {
    const source = parseYamlSource("run:\n  concurrency: many\n", "c.yaml");
    const result = z.object({ run: z.object({ concurrency: z.number() }) }).safeParse(source.value);
    const error = yamlIssueError(source, result.error!.issues[0]!, "CONFIG_INVALID", "configuration", "Fix it.");
    expect(error.toParagraph()).toMatch(/c.yaml:2:16, key run.concurrency: Invalid configuration: .*found string "many"/);
  });
});
