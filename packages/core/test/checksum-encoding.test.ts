import { describe, expect, it } from "vitest";
import { encodingType, encodings } from "../src/compare/encoding.js";

describe("the type a cross-engine COMPARE encodes a column in when its sides' types differ", () => {
  it("meets a float and any other number as a double, as the in-engine COMPARE does", () => {
    for (const [e, a] of [["decimal(30,20)", "double"], ["double", "decimal(38,0)"], ["int", "double"], ["float", "double"], ["float", "bigint"], ["hugeint", "float"], ["decimal", "double"]]) {
      expect(encodingType(e, a), `${e} against ${a}`).toBe("double");
    }
  });

  it("meets a date and a timestamp as a timestamp, and either against a timestamptz as a timestamptz", () => {
    expect([encodingType("date", "timestamp"), encodingType("timestamp", "date")]).toEqual(["timestamp", "timestamp"]);
    expect([encodingType("timestamp", "timestamptz"), encodingType("timestamptz", "date")]).toEqual(["timestamptz", "timestamptz"]);
  });

  it("encodes nothing else differently: equal types, exact numbers of any width, booleans, text, intervals and unknown types", () => {
    for (const [e, a] of [["double", "double"], ["float", "float"], ["decimal(38,2)", "decimal(38,10)"], ["bigint", "decimal(38,0)"], ["hugeint", "int"], ["boolean", "int"], ["string", "date"], ["interval", "timestamp"], ["json", "double"], ["date", "date"]]) {
      expect(encodingType(e, a), `${e} against ${a}`).toBeNull();
    }
    expect([encodingType(undefined, "double"), encodingType("double", undefined)]).toEqual([null, null]);
  });

  it("names the columns of a request by the request's spelling, finding each side's type exactly, else ignoring case", () => {
    const expected = { id: "int", Amount: "decimal(12,2)", day: "date", note: "string" };
    const actual = { ID: "bigint", amount: "double", DAY: "timestamp", note: "string" };
    expect(encodings(["id", "Amount", "day", "note"], expected, actual)).toEqual({ Amount: "double", day: "timestamp" });
  });
});
