import { describe, expect, it } from "vitest";
import { interpolateEnv } from "../src/config/env.js";

const locate = (path: ReadonlyArray<PropertyKey>) => ({ file: "c.yaml", line: 7, key: path.map(String).join(".") });

describe("interpolateEnv", () => {
  it("replaces references in every string, in lists and nested maps, and leaves keys and other values alone", () => {
    const value = { "${env:A}": ["x-${env:A}-${env:B}", 3, true, null], nested: { url: "${env:B}" } };
    const result = interpolateEnv(value, { A: "alpha", B: "beta" }, locate);
    expect(result.value).toEqual({ "${env:A}": ["x-alpha-beta", 3, true, null], nested: { url: "beta" } });
    expect(result.secrets.sort()).toEqual(["alpha", "beta"]);
    expect(result.envPaths).toEqual([["${env:A}", 0], ["nested", "url"]]);
    expect(value.nested.url).toBe("${env:B}");
  });

  it("keeps $${env:NAME} as the literal text, without reading the variable", () => {
    const result = interpolateEnv({ a: "cost: $${env:PRICE} and ${env:P}" }, { P: "p" }, locate);
    expect(result.value).toEqual({ a: "cost: ${env:PRICE} and p" });
    expect(result.secrets).toEqual(["p"]);
  });

  it("accepts an empty value but does not register it as a secret", () => {
    const result = interpolateEnv({ a: "[${env:EMPTY}]" }, { EMPTY: "" }, locate);
    expect(result.value).toEqual({ a: "[]" });
    expect(result.secrets).toEqual([]);
  });

  it("reports a missing variable with its key, and leaves the value empty", () => {
    const { value, missing } = interpolateEnv({ backend: { options: { url: "${env:NOPE}" } } }, {}, locate);
    expect(value).toEqual({ backend: { options: { url: "" } } });
    expect(missing.map((m) => m.path)).toEqual([["backend", "options", "url"]]);
    const error = missing[0]!.error;
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.toParagraph()).toBe(
      "c.yaml:7, key backend.options.url: Environment variable NOPE is not set (referenced by backend.options.url). Expected NOPE to be set in the environment. Set it (export NOPE=...) before running assay, or remove the reference. [CONFIG_INVALID]",
    );
  });

  it("refuses a malformed variable name", () => {
    expect(() => interpolateEnv({ a: "${env:MY-VAR}" }, { "MY-VAR": "x" }, locate)).toThrow(/Invalid environment reference/);
  });
});
