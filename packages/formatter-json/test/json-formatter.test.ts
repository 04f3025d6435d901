import { isAssayError, validatePluginModule, type AssayError } from "@assay/ports";
import { describeFormatterContract } from "@assay/ports/testing";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin, { JsonFormatter } from "../src/index.js";

const context = { projectRoot: process.cwd(), warn: () => undefined };

describeFormatterContract("json", () => plugin.create({}, context));

function errorOf(fn: () => unknown): AssayError {
  try {
    fn();
  } catch (e) {
    if (isAssayError(e)) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("json formatter", () => {
  const f = new JsonFormatter();

  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "formatter"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/formatter-json")).toBe(plugin);
    expect([f.name, f.extension, f.mediaType]).toEqual(["json", "json", "application/json"]);
  });

  it("writes 2-space indented UTF-8 with a trailing newline", () => {
    const bytes = f.serialize({ a: [1, "é"], b: null });
    expect(Buffer.from(bytes).toString("utf8")).toBe('{\n  "a": [\n    1,\n    "é"\n  ],\n  "b": null\n}\n');
    // é is two bytes in UTF-8.
    expect(Buffer.from(bytes).includes(Buffer.from([0xc3, 0xa9]))).toBe(true);
  });

  it("reports the parser's message with FORMAT_INVALID", () => {
    const error = errorOf(() => f.parse(new TextEncoder().encode('{"a": }')));
    expect(error.code).toBe("FORMAT_INVALID");
    let parserMessage = "";
    try {
      JSON.parse('{"a": }');
    } catch (e) {
      parserMessage = (e as Error).message;
    }
    expect(error.message).toContain(parserMessage);
  });

  it("refuses bytes that are not UTF-8 with FORMAT_INVALID", () => {
    expect(errorOf(() => f.parse(Uint8Array.from([0x22, 0xff, 0x22]))).code).toBe("FORMAT_INVALID");
  });

  it("refuses empty data with FORMAT_INVALID", () => {
    expect(errorOf(() => f.parse(new Uint8Array())).code).toBe("FORMAT_INVALID");
  });

  it("refuses values JSON cannot hold with an internal error", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(errorOf(() => f.serialize(circular)).code).toBe("INTERNAL");
    expect(errorOf(() => f.serialize(10n)).code).toBe("INTERNAL");
    expect(errorOf(() => f.serialize(undefined)).code).toBe("INTERNAL");
  });

  it("refuses unknown options", async () => {
    const result = await plugin.optionsSchema["~standard"].validate({ indent: 4 });
    expect(result.issues).toBeDefined();
  });
});
