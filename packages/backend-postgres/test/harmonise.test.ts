import { describe, expect, it } from "vitest";
import { isNumericType } from "@assay/sql";
import { harmoniseType } from "../src/index.js";

describe("harmoniseType", () => {
  it.each([
    ["integer", "int"],
    ["bigint", "bigint"],
    ["smallint", "smallint"],
    ["numeric(12,2)", "decimal(12,2)"],
    ["numeric", "decimal"],
    ["double precision", "double"],
    ["real", "float"],
    ["text", "string"],
    ["character varying", "string"],
    ["character varying(20)", "string"],
    ["character(3)", "string"],
    ["boolean", "boolean"],
    ["date", "date"],
    ["timestamp without time zone", "timestamp"],
    ["timestamp(3) without time zone", "timestamp"],
    ["timestamp with time zone", "timestamptz"],
    ["time without time zone", "time"],
    ["interval", "interval"],
    ["interval day to second", "interval"],
    ["bytea", "binary"],
    ["json", "json"],
    ["jsonb", "json"],
    ["uuid", "uuid"],
    ["INTEGER", "int"],
    ["integer[]", "integer[]"],
    ["money", "money"],
    ["time with time zone", "time with time zone"],
  ])("%s → %s", (raw, harmonised) => {
    expect(harmoniseType(raw)).toBe(harmonised);
  });

  it("knows which harmonised types are numbers", () => {
    expect(["int", "bigint", "decimal(12,2)", "double", "float"].every(isNumericType)).toBe(true);
    expect(["string", "date", "boolean"].some(isNumericType)).toBe(false);
  });
});
