import { describe, expect, it } from "vitest";
import { cellTypeParsers } from "../src/cell-parsers.js";
import { renderTemplate, secretScrubber } from "@assay/sql";
import { connectionSettings, PostgresOptions } from "../src/options.js";

describe("cell parsers", () => {
  const types = cellTypeParsers();
  const parse = (oid: number, text: string): unknown => (types.getTypeParser(oid, "text") as (t: string) => unknown)(text);
  it("keeps int8 exact: a number when safe, else a string", () => {
    expect(parse(20, "42")).toBe(42);
    expect(parse(20, "9007199254740993")).toBe("9007199254740993");
  });
  it("keeps numeric as an exact string and floats as numbers", () => {
    expect(parse(1700, "10.50")).toBe("10.50");
    expect(parse(701, "0.1")).toBe(0.1);
    expect(parse(701, "NaN")).toBe("NaN");
  });
  it("writes dates and timestamps in ISO form", () => {
    expect(parse(1082, "2024-01-01")).toBe("2024-01-01");
    expect(parse(1114, "2024-01-01 12:30:00.5")).toBe("2024-01-01T12:30:00.5");
    expect(parse(1184, "2024-01-01 12:30:00+00")).toBe("2024-01-01T12:30:00Z");
    expect(parse(1184, "2024-01-01 12:30:00+05:30")).toBe("2024-01-01T12:30:00+05:30");
  });
  it("reads booleans, bytea as base64, json as text, unknown types as text", () => {
    expect(parse(16, "t")).toBe(true);
    expect(parse(17, "\\x414243")).toBe("QUJD");
    expect(parse(3802, '{"a": 1}')).toBe('{"a": 1}');
    expect(parse(1007, "{1,2}")).toBe("{1,2}");
  });
  it("does not touch pg's global parsers", async () => {
    const pg = (await import("pg")).default;
    const globalInt8 = pg.types.getTypeParser(20, "text") as (text: string) => unknown;
    expect(globalInt8("5")).toBe("5");
  });
});

describe("secrets", () => {
  it("scrubs the password and URL credentials", () => {
    const scrub = secretScrubber(["p@ss word"]);
    expect(scrub("failed for postgres://bob:p%40ss%20word@db:5432/x")).toBe("failed for postgres://bob:***@db:5432/x");
    expect(scrub("password p@ss word rejected")).toBe("password *** rejected");
    expect(scrub("postgresql://u:other@h/d")).toBe("postgresql://u:***@h/d");
  });
});

describe("options", () => {
  it("are strict, with documented defaults", () => {
    const parsed = PostgresOptions.parse({ url: "postgres://u@h/db" });
    expect(parsed).toMatchObject({ schema: "{instance}", poolSize: 4, timeoutMs: 300_000, connectTimeoutMs: 10_000 });
    expect(PostgresOptions.safeParse({ url: "postgres://u@h/db", extra: 1 }).success).toBe(false);
    expect(PostgresOptions.safeParse({ schema: "{tenant}" }).success).toBe(false);
    expect(PostgresOptions.safeParse({ url: "mysql://h" }).success).toBe(false);
  });
  it("take the url's parts, fields beside it winning", () => {
    const s = connectionSettings(PostgresOptions.parse({ url: "postgres://bob:pw%21@db.example:6543/sales", port: 7000 }), {});
    expect(s).toMatchObject({ host: "db.example", port: 7000, user: "bob", password: "pw!", database: "sales" });
  });
  it("render templates", () => {
    expect(renderTemplate("{domain}_{stage}/{instance}", { domain: "payments", stage: "test", instance: "alpha" })).toBe("payments_test/alpha");
  });
});
