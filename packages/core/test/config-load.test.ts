import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AssayError } from "@assay/ports";
import { deferredErrorAt, loadConfig } from "../src/config/load.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "assay-config-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(text: string, name = "assay.config.yaml"): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<AssayError> {
  try {
    await promise;
  } catch (error) {
    return error as AssayError;
  }
  throw new Error("expected a failure");
}

describe("loadConfig", () => {
  it("falls back to the defaults, rooted at cwd, when no file exists", async () => {
    const { config, source } = await loadConfig({ cwd: dir });
    expect(config.file).toBe("<defaults>");
    expect(config.root).toBe(dir);
    expect(config.backend).toEqual({ use: "duckdb", options: {} });
    expect(config.storage.location).toBe("file:.assay");
    expect(config.testsets).toBe(path.join(dir, "testsets"));
    expect(source.file).toBe("<defaults>");
  });

  it("walks up from cwd and resolves every domain", async () => {
    const file = await write(
      [
        "backend: { use: dummy }",
        "domains:",
        "  payments:",
        "    stages: { test: [alpha, beta], uat: [main] }",
        "    specs: { uat: custom/uat }",
        "  sales:",
        "    backend: { use: postgres, options: { url: 'postgres://x@h/db' } }",
        "    stages: { test: [main] }",
        "    schema: { compareTypes: [int], requireDeclaredKeys: true }",
      ].join("\n"),
    );
    const sub = path.join(dir, "a", "b");
    await mkdir(sub, { recursive: true });
    const { config } = await loadConfig({ cwd: sub });
    expect(config.file).toBe(file);
    expect(config.root).toBe(dir);
    const payments = config.domains.payments!;
    expect(payments.name).toBe("payments");
    expect(payments.backend).toEqual({ use: "dummy", options: {} });
    expect(payments.specs).toEqual({ test: path.join(dir, "specs/payments/test"), uat: path.join(dir, "custom/uat") });
    expect(payments.compare.maxDiffRows).toBe(100);
    expect(payments.schema).toEqual({ requireDeclaredKeys: false });
    expect(config.domains.sales!.backend.use).toBe("postgres");
    expect(config.domains.sales!.schema).toEqual({ compareTypes: ["int"], requireDeclaredKeys: true });
  });

  it("refuses a missing explicit --config file", async () => {
    const error = await failure(loadConfig({ cwd: dir, configPath: "nope.yaml" }));
    expect(error.code).toBe("CONFIG_NOT_FOUND");
    expect(error.toParagraph()).toContain("nope.yaml");
  });

  it("reads an explicit --config file relative to cwd", async () => {
    await write("format: json\n", "conf/custom.yaml");
    const { config } = await loadConfig({ cwd: dir, configPath: "conf/custom.yaml" });
    expect(config.root).toBe(path.join(dir, "conf"));
  });

  it("interpolates ${env:NAME}, keeps $${env:NAME} literal and registers secrets", async () => {
    await write(
      [
        "backend:",
        "  use: postgres",
        "  options:",
        "    url: postgres://app:${env:PG_PASS}@db:5432/x",
        "    note: $${env:NOT_READ}",
      ].join("\n"),
    );
    const { config, redactor } = await loadConfig({ cwd: dir, env: { PG_PASS: "s3cr3t-value" } });
    expect(config.backend.options).toEqual({ url: "postgres://app:s3cr3t-value@db:5432/x", note: "${env:NOT_READ}" });
    expect(redactor.redact("connecting with s3cr3t-value")).toBe("connecting with ***");
    const masked = JSON.stringify(redactor.maskConfig(config));
    expect(masked).not.toContain("s3cr3t-value");
    expect(masked).toContain("postgres://app:***@db:5432/x");
  });

  it("defers a missing variable in plugin options until that plugin is used", async () => {
    await write("backend:\n  use: postgres\n  options:\n    url: ${env:MISSING_URL}\n");
    const loaded = await loadConfig({ cwd: dir, env: {} });
    const error = deferredErrorAt(loaded, ["backend", "options"]);
    expect(error?.code).toBe("CONFIG_INVALID");
    expect(error?.toParagraph()).toMatch(/assay.config.yaml:4:\d+, key backend.options.url: Environment variable MISSING_URL is not set/);
    expect(deferredErrorAt(loaded, ["storage", "options"])).toBeUndefined();
  });

  it("names a missing variable outside plugin options at once, with the key and the line", async () => {
    await write("storage: ${env:MISSING_STORE}\n");
    const error = await failure(loadConfig({ cwd: dir, env: {} }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.toParagraph()).toMatch(/assay.config.yaml:1:\d+, key storage: Environment variable MISSING_STORE is not set/);
  });

  it("never shows an env secret in a validation error", async () => {
    await write("run:\n  concurrency: ${env:SECRET_N}\n");
    const error = await failure(loadConfig({ cwd: dir, env: { SECRET_N: "hunter2-hunter2" } }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.toParagraph()).not.toContain("hunter2-hunter2");
    expect(error.stack).not.toContain("hunter2-hunter2");
    expect(error.toParagraph()).toContain("run.concurrency");
  });

  it("reports unknown top-level keys with their line", async () => {
    await write("format: json\nbakend: { use: duckdb }\n");
    const error = await failure(loadConfig({ cwd: dir }));
    expect(error.toParagraph()).toMatch(/assay.config.yaml:2:1, key bakend: Unknown key "bakend"/);
  });

  it("refuses spec folders for undeclared stages", async () => {
    await write("domains:\n  p:\n    stages: { test: [a] }\n    specs:\n      uat: specs/uat\n");
    const error = await failure(loadConfig({ cwd: dir }));
    expect(error.toParagraph()).toMatch(/:5:\d+, key domains.p.specs.uat: .*stage "uat".*Expected one of the stages declared under domains.p.stages: test/);
  });

  it("refuses a storage location without a scheme", async () => {
    await write("storage: results-folder\n");
    const error = await failure(loadConfig({ cwd: dir }));
    expect(error.toParagraph()).toMatch(/:1:\d+, key storage: Storage location "results-folder" has no URL scheme/);
  });

  it("refuses an empty file (or one holding only comments), naming it", async () => {
    for (const text of ["", "# nothing yet\n"]) {
      await write(text);
      await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({ code: "CONFIG_INVALID", where: { file: "assay.config.yaml" }, message: expect.stringContaining("assay.config.yaml is empty") as string });
    }
  });

  it("tells where a value came from", async () => {
    await write("backend:\n  use: dummy\n");
    const { source } = await loadConfig({ cwd: dir });
    expect(source.has(["backend", "use"])).toBe(true);
    expect(source.has(["storage"])).toBe(false);
    expect(source.locate(["backend", "use"])).toMatchObject({ line: 2, key: "backend.use" });
  });
});
