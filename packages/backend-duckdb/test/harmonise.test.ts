import { describe, expect, it } from "vitest";
import { harmoniseType } from "../src/index.js";

describe("harmoniseType", () => {
  it.each([
    ["INTEGER", "int"],
    ["BIGINT", "bigint"],
    ["SMALLINT", "smallint"],
    ["TINYINT", "tinyint"],
    ["HUGEINT", "hugeint"],
    ["DECIMAL(12,2)", "decimal(12,2)"],
    ["DECIMAL(18, 3)", "decimal(18,3)"],
    ["NUMERIC(10)", "decimal(10,0)"],
    ["DOUBLE", "double"],
    ["FLOAT", "float"],
    ["REAL", "float"],
    ["VARCHAR", "string"],
    ["VARCHAR(20)", "string"],
    ["BOOLEAN", "boolean"],
    ["DATE", "date"],
    ["TIMESTAMP", "timestamp"],
    ["TIMESTAMP_NS", "timestamp"],
    ["TIMESTAMP WITH TIME ZONE", "timestamptz"],
    ["TIME", "time"],
    ["INTERVAL", "interval"],
    ["BLOB", "binary"],
    ["UUID", "uuid"],
    ["JSON", "json"],
    ["integer", "int"],
  ])("%s → %s", (raw, type) => {
    expect(harmoniseType(raw)).toBe(type);
  });

  it("lower-cases nested and other types as DuckDB names them", () => {
    expect(harmoniseType("INTEGER[]")).toBe("integer[]");
    expect(harmoniseType("STRUCT(a INTEGER, b VARCHAR)")).toBe("struct(a integer, b varchar)");
    expect(harmoniseType("MAP(VARCHAR, INTEGER)")).toBe("map(varchar, integer)");
    expect(harmoniseType("UBIGINT")).toBe("ubigint");
    expect(harmoniseType("TIME WITH TIME ZONE")).toBe("time with time zone");
  });
});
