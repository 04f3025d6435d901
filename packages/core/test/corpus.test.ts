import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isAssayError, type AssayError } from "@assay/ports";
import { discoverSpecs } from "../src/specs/discover.js";
import { loadTestSetFile } from "../src/testsets/load.js";
import { makeConfig } from "./support/config.js";

/**
 * Bad inputs, each with the message it must give: specs end up with a located error (their
 * test cases become N/A), test sets are refused with file and line. Nothing crashes.
 */
interface Case {
  kind: "spec" | "testset";
  file: string;
  message: string;
  line?: number;
  expected?: string;
}
const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, "corpus");
const cases = JSON.parse(readFileSync(join(corpus, "expected.json"), "utf8")) as Case[];
const config = makeConfig({ root: corpus, domain: { specs: { test: join(corpus, "specs"), uat: join(corpus, "none") } } });

describe("bad input corpus", () => {
  it("has at least 20 cases and covers every spec file", async () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const specs = await discoverSpecs(config, "payments", "test");
    expect(specs.map((s) => s.path).sort()).toEqual(cases.filter((c) => c.kind === "spec").map((c) => c.file).sort());
  });

  it.each(cases.filter((c) => c.kind === "spec"))("spec $file: $message", async (c) => {
    const spec = (await discoverSpecs(config, "payments", "test")).find((s) => s.path === c.file)!;
    expect(spec.error).toContain(c.message);
    expect(spec.error!.startsWith(c.file)).toBe(true);
    if (c.line !== undefined) expect(spec.error).toContain(`${c.file}:${c.line}`);
  });

  it.each(cases.filter((c) => c.kind === "testset"))("test set $file: $message", async (c) => {
    const error: unknown = await loadTestSetFile(config, c.file).then(() => null, (e: unknown) => e);
    expect(isAssayError(error), String(error)).toBe(true);
    const e = error as AssayError;
    expect(e.code).toBe("TESTSET_INVALID");
    expect(e.message).toContain(c.message);
    expect(e.where?.file).toBe(c.file);
    if (c.line !== undefined) expect(e.where?.line).toBe(c.line);
    if (c.expected !== undefined) expect(e.expected).toBe(c.expected);
    expect(e.toParagraph()).toContain(c.file);
  });
});
