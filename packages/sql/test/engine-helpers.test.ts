import { describe, expect, it } from "vitest";
import type { Row } from "@assay/ports";
import { differenceShape, isoTimestamp, safeInteger, specialFloat, volatileQuery, type Session } from "../src/index.js";

/** A session that answers the stored-function lookup with these names and records what ran. */
function routines(names: string[]): Session & { ran: string[] } {
  const ran: string[] = [];
  const all = async (sql: string): Promise<Row[]> => {
    ran.push(sql);
    return names.map((n) => ({ n }));
  };
  return { ran, all } as unknown as Session & { ran: string[] };
}

describe("volatile expected queries", () => {
  it("names the volatile functions of every kit engine, without asking the engine", async () => {
    for (const sql of ["SELECT id FROM t WHERE rand() < 0.5", "SELECT random() AS r", "SELECT randCanonical()", "SELECT now() AS t", "SELECT CURRENT_TIMESTAMP", "SELECT uuid()", "SELECT @n := @n + 1 FROM t", "SELECT NEXT VALUE FOR s"]) {
      const session = routines([]);
      expect(await volatileQuery(session, sql), sql).toBe(true);
      expect(session.ran).toEqual([]);
    }
  });

  it("counts a call of a stored function as volatile (its DETERMINISTIC is only declared), and a plain query as not", async () => {
    expect(await volatileQuery(routines(["shuffle"]), "SELECT id, `shuffle`(v) AS v FROM t")).toBe(true);
    expect(await volatileQuery(routines(["shuffle"]), "SELECT id, Shuffle (v) AS v FROM t")).toBe(true);
    expect(await volatileQuery(routines(["shuffle"]), "SELECT id, abs(v) AS shuffle FROM t")).toBe(false);
    expect(await volatileQuery(routines([]), "SELECT id, round(v, 2) FROM t WHERE d >= '2024-01-01'")).toBe(false);
  });
});

describe("cell converters", () => {
  it("writes timestamps as ISO without padding zeros, wide integers as numbers only when exact, NaN and the infinities as every engine spells them", () => {
    expect([isoTimestamp("2024-01-02 00:00:01.000000"), isoTimestamp("2024-01-02 00:00:01.500000"), isoTimestamp("2024-01-02 03:04:05"), isoTimestamp(null)]).toEqual(["2024-01-02T00:00:01", "2024-01-02T00:00:01.5", "2024-01-02T03:04:05", null]);
    expect([safeInteger("9007199254740991"), safeInteger("9007199254740993"), safeInteger(5)]).toEqual([9007199254740991, "9007199254740993", 5]);
    expect([specialFloat("nan"), specialFloat("inf"), specialFloat("-inf"), specialFloat(1.5), specialFloat(null)]).toEqual(["NaN", "Infinity", "-Infinity", 1.5, null]);
  });
});

describe("the width of an exact difference", () => {
  it("is one digit wider than the wider side, for exact numbers compared as they are or as 64-bit integers", () => {
    expect(differenceShape({ kind: "same" }, "bigint")).toEqual({ digits: 20, scale: 0 });
    expect(differenceShape({ kind: "integer" }, "boolean")).toEqual({ digits: 20, scale: 0 });
    expect(differenceShape({ kind: "same" }, "decimal(38,2)")).toEqual({ digits: 37, scale: 2 });
    expect(differenceShape({ kind: "same" }, "double")).toBeNull();
    expect(differenceShape({ kind: "exact", scale: 2 }, "decimal(12,2)")).toBeNull();
  });
});
