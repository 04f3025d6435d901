import { describe, expect, it } from "vitest";
import { ConfigError } from "@assay/ports";
import { Redactor } from "../src/config/redact.js";

describe("Redactor", () => {
  it("masks secrets, their JSON and URL encodings, and URL passwords", () => {
    const redactor = new Redactor(['pa"ss/word']);
    expect(redactor.redact('x pa"ss/word y')).toBe("x *** y");
    expect(redactor.redact(JSON.stringify({ p: 'pa"ss/word' }))).toBe('{"p":"***"}');
    expect(redactor.redact(`u=${encodeURIComponent('pa"ss/word')}`)).toBe("u=***");
    expect(redactor.redact("postgres://user:literal@host:5432/db and mysql://u:p@h")).toBe("postgres://user:***@host:5432/db and mysql://u:***@h");
    expect(redactor.redact("http://host/path?x=1")).toBe("http://host/path?x=1");
  });

  it("masks the longest secret first", () => {
    const redactor = new Redactor(["abc", "abcdef"]);
    expect(redactor.redact("abcdef abc")).toBe("*** ***");
  });

  it("ignores empty secrets", () => {
    expect(new Redactor([""]).redact("text")).toBe("text");
  });

  it("masks password-like keys in a config copy without touching the original", () => {
    const config = { backend: { options: { password: "plain", token: 42, apiKey: "k", host: "h", url: "postgres://a:b@c/d" } } };
    const masked = new Redactor().maskConfig(config);
    expect(masked.backend.options).toEqual({ password: "***", token: "***", apiKey: "***", host: "h", url: "postgres://a:***@c/d" });
    expect(config.backend.options.password).toBe("plain");
  });

  it("redacts an error in place, cause included", () => {
    const redactor = new Redactor(["topsecret"]);
    const error = new ConfigError("CONFIG_INVALID", "bad topsecret", {
      expected: "not topsecret",
      fix: "remove topsecret",
      where: { file: "f", key: "k" },
      cause: new Error("inner topsecret"),
    });
    expect(redactor.redactError(error)).toBe(error);
    expect(error.toParagraph()).not.toContain("topsecret");
    expect(error.stack).not.toContain("topsecret");
    expect((error.cause as Error).message).toBe("inner ***");
  });
});
