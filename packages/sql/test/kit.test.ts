import { describe, expect, it } from "vitest";
import { CompareRequest, type Row } from "@assay/ports";
import {
  castTo,
  classifyError,
  comparisonType,
  differs,
  isNestedType,
  createSqlBackend,
  Deadline,
  decodeCompare,
  embeddable,
  firstKeyword,
  harmoniseType,
  refusedKind,
  topLevelItems,
  resolveCompare,
  statementKinds,
  type Dialect,
  type SideColumn,
} from "../src/index.js";
import { RecordingDriver } from "./recording-driver.js";
import { standard } from "./standard-dialect.js";


const side = (name: string, type: string): SideColumn => ({ name, nativeType: type, type });

describe("embedding user SQL", () => {
  it.each([
    ["SELECT 1", "SELECT 1\n"],
    ["SELECT 1; ", "SELECT 1 \n"],
    ["SELECT 1; -- done", "SELECT 1 -- done\n"],
    ["SELECT 1 -- note", "SELECT 1 -- note\n"],
    ["SELECT ';'", "SELECT ';'\n"],
    ["SELECT 1; /* c */\n", "SELECT 1 /* c */\n\n"],
  ])("%j → %j", (sql, body) => {
    expect(embeddable(sql)).toBe(body);
  });

  it("splits a key list at its top-level commas only, nested calls kept whole", () => {
    expect(topLevelItems("region, toYYYYMM(f(day, 1)), (a + b)")).toEqual(["region", "toYYYYMM(f(day, 1))", "(a + b)"]);
    expect(topLevelItems(" id ")).toEqual(["id"]);
    expect(topLevelItems("")).toEqual([]);
    expect(topLevelItems("a,,b")).toEqual(["a", "", "b"]);
  });

  it("names what a refusal refused: each statement, and writes inside a WITH", () => {
    expect(refusedKind("SELECT 1; DELETE FROM t")).toBe("2 statements (SELECT, DELETE)");
    expect(refusedKind("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d")).toBe("a WITH statement holding DELETE");
    expect(refusedKind("SELECT 'DELETE FROM t; x' AS s -- ; DROP")).toBe("a SELECT statement");
    expect(statementKinds("SELECT 1; -- done\n")).toEqual([{ first: "SELECT", writes: [] }]);
    expect(statementKinds("SELECT $$;DELETE FROM t$$; UPDATE t SET a = 1").map((k) => k.first)).toEqual(["SELECT", "UPDATE"]);
  });

  it("names the first keyword past comments and parentheses", () => {
    expect(firstKeyword("  -- hi\n/* x */ delete from t")).toBe("DELETE");
    expect(firstKeyword("(SELECT 1)")).toBe("SELECT");
    expect(firstKeyword("")).toBe("non-SELECT");
  });
});

describe("the type harmoniser", () => {
  it.each([
    ["VARCHAR(20)", "string"],
    ["character varying(20)", "string"],
    ["CHAR(3)", "string"],
    ["DECIMAL(18, 3)", "decimal(18,3)"],
    ["NUMERIC(10)", "decimal(10,0)"],
    ["numeric", "decimal"],
    ["timestamp(3) without time zone", "timestamp"],
    ["TIMESTAMP WITH TIME ZONE", "timestamptz"],
    ["interval day to second", "interval"],
    ["INTEGER[]", "integer[]"],
    ["STRUCT(a INTEGER)", "struct(a integer)"],
  ])("%s → %s on every engine", (raw, type) => {
    expect(harmoniseType(raw, {})).toBe(type);
  });

  it("lets a dialect's map name its own types", () => {
    expect(harmoniseType("BLOB", { blob: "binary" })).toBe("binary");
    expect(harmoniseType("money", {})).toBe("money");
  });
});

describe("comparison types", () => {
  it("never meets narrower than a side", () => {
    expect(comparisonType("int", "int")).toEqual({ kind: "same" });
    expect(comparisonType("int", "bigint")).toEqual({ kind: "integer" });
    expect(comparisonType("int", "decimal(12,2)")).toEqual({ kind: "exact", scale: 2 });
    expect(comparisonType("decimal(38,2)", "decimal(38,10)")).toEqual({ kind: "exact", scale: 10 });
    // Too wide for the engine's widest decimal: compared as they are, never through DOUBLE.
    expect(comparisonType("decimal(38,2)", "decimal(38,10)", 38)).toEqual({ kind: "native" });
    expect(comparisonType("float", "decimal(12,2)")).toEqual({ kind: "double" });
    expect(comparisonType("date", "string")).toEqual({ kind: "text" });
    expect(comparisonType("decimal(12,2)", "decimal(14,2)")).toEqual({ kind: "exact", scale: 2 });
    expect(comparisonType("string", "string")).toEqual({ kind: "same" });
  });

  it("decides the cross-type policies: temporal pairs, booleans against integers, intervals and JSON by their text", () => {
    expect(comparisonType("date", "timestamp")).toEqual({ kind: "timestamp" });
    expect(comparisonType("timestamp", "timestamptz")).toEqual({ kind: "timestamptz" });
    expect(comparisonType("timestamptz", "date")).toEqual({ kind: "timestamptz" });
    expect(comparisonType("boolean", "int")).toEqual({ kind: "integer" });
    expect(comparisonType("bigint", "boolean")).toEqual({ kind: "integer" });
    expect(comparisonType("boolean", "double")).toEqual({ kind: "text" });
    expect(comparisonType("interval", "interval")).toEqual({ kind: "text" });
    expect(comparisonType("json", "json")).toEqual({ kind: "text" });
    expect(["integer[]", "struct(a integer)", "map(varchar, integer)", "decimal(4,2)[]"].map(isNestedType)).toEqual([true, true, true, true]);
    expect(["int", "string", "json"].map(isNestedType)).toEqual([false, false, false]);
  });

  it("casts a boolean meeting an integer to 1 or 0, and leaves a timestamp meeting a timestamp as it is", () => {
    expect(castTo(standard, "x", { kind: "integer" }, "boolean")).toBe("CAST(CASE WHEN x THEN 1 WHEN NOT x THEN 0 END AS BIGINT)");
    expect(castTo(standard, "x", { kind: "timestamp" }, "date")).toBe("CAST(x AS TIMESTAMP)");
    expect(castTo(standard, "x", { kind: "timestamp" }, "timestamp")).toBe("x");
    expect(castTo(standard, "x", { kind: "timestamptz" }, "timestamp")).toBe("CAST(x AS TIMESTAMP WITH TIME ZONE)");
  });
});

describe("whether two values differ", () => {
  const column = (type: string, tolerance: number, meet = comparisonType(type, type)) => ({ name: "v", expected: side("v", type), actual: side("v", type), meet, tolerance });
  const bind = (v: unknown) => `$${String(v)}`;
  it("never lets a tolerance make equal values differ, and says NaN differences differ where NaN compares false", () => {
    const sql = differs(standard, column("double", 0.5), "e", "a", bind);
    expect(sql).toBe("(CASE WHEN e IS NOT DISTINCT FROM a THEN false WHEN e IS NULL OR a IS NULL THEN true ELSE NOT (abs(e / 2 - a / 2) <= CAST($0.5 AS DOUBLE PRECISION) / 2) END)");
  });
  it("subtracts exact numbers through the dialect's overflow-free difference", () => {
    const wide: Dialect = { ...standard, absDifference: (e, a) => `abs(CAST(${e} AS NUMERIC) - CAST(${a} AS NUMERIC))` };
    expect(differs(wide, column("bigint", 1), "e", "a", bind)).toContain("NOT (abs(CAST(e AS NUMERIC) - CAST(a AS NUMERIC)) <= CAST($1 AS DOUBLE PRECISION))");
    expect(differs(standard, column("bigint", 0), "e", "a", bind)).toBe("e IS DISTINCT FROM a");
  });
});

describe("request resolution", () => {
  const request = (over: Partial<CompareRequest> = {}) =>
    CompareRequest.parse({ at: { domain: "d", stage: "s", instance: "i" }, object: "t", keys: ["ID"], expectedSql: "SELECT 1", ...over });

  it("matches columns case-insensitively, exact spelling first, and looks tolerances up the same way", () => {
    const plan = resolveCompare(
      request({ tolerance: { default: 0, columns: { AMOUNT: 0.5 } } }),
      [side("id", "int"), side("Amount", "decimal(12,2)"), side("note", "string")],
      [side("ID", "int"), side("amount", "double"), side("NOTE", "string")],
      standard,
    );
    expect(plan.keys.map((k) => [k.name, k.expected.name, k.actual.name])).toEqual([["ID", "id", "ID"]]);
    expect(plan.columns.map((c) => [c.name, c.actual.name, c.meet.kind, c.tolerance])).toEqual([
      ["Amount", "amount", "double", 0.5],
      ["note", "NOTE", "same", 0],
    ]);
  });

  it("names a column one side lacks, with the columns it has", () => {
    expect(() => resolveCompare(request(), [side("id", "int")], [side("key", "int")], standard)).toThrow(/the key column "ID" is not in the object t/);
  });
});

describe("result decoding", () => {
  it("reads counts from the first row and one differing key per row, and says when the diff was cut", () => {
    const plan = resolveCompare(
      CompareRequest.parse({ at: { domain: "d", stage: "s", instance: "i" }, object: "t", keys: ["k"], expectedSql: "x", maxDiffRows: 2 }),
      [side("k", "string"), side("v", "int")],
      [side("k", "string"), side("v", "int")],
      standard,
    );
    const counts = { expected_rows: 4, actual_rows: 4, matched: 0, missing: 1, extra: 1, mismatched: 1, duplicate_expected: 1, duplicate_actual: 0, mismatches_c0: 1 };
    const rows: Row[] = [
      { ...counts, k0: "a", kind: "duplicate", en: 2, an: 1, e_c0: null, a_c0: null, m_c0: false },
      { ...counts, k0: "b", kind: "mismatch", en: 1, an: 1, e_c0: 1, a_c0: 2, m_c0: true },
      { ...counts, k0: "c", kind: "missing", en: 1, an: 0, e_c0: 3, a_c0: null, m_c0: false },
    ];
    const result = decodeCompare(rows, plan);
    expect(result).toMatchObject({ expectedRows: 4, missingRows: 1, duplicateKeys: { expected: 1, actual: 0 }, truncated: true });
    expect(result.diff).toEqual([
      { kind: "duplicate", key: { k: "a" }, expected: { k: "a", v: null }, actual: null, columns: [], side: "expected", count: 2 },
      { kind: "mismatch", key: { k: "b" }, expected: { k: "b", v: 1 }, actual: { k: "b", v: 2 }, columns: ["v"] },
    ]);
    expect(decodeCompare([{ ...counts, kind: null }], plan).diff).toEqual([]);
  });
});

describe("errors and deadlines", () => {
  it("classifies through the first matching rule, scrubbing secrets, and defaults to BACKEND_QUERY", () => {
    const table = {
      rules: [{ code: "BACKEND_AUTH" as const, fatal: true, match: (e: { code: string | undefined }) => e.code === "28P01" }],
      scrub: (text: string) => text.replaceAll("hunter2", "***"),
    };
    const auth = classifyError(Object.assign(new Error("bad password hunter2"), { code: "28P01" }), table, "Test", { what: "Listing" });
    expect([auth.error.code, auth.fatal, auth.error.message]).toEqual(["BACKEND_AUTH", true, "Listing failed in Test: bad password *** [SQLSTATE 28P01]"]);
    const other = classifyError(new Error("syntax"), table, "Test", { what: "The query" });
    expect([other.error.code, other.fatal]).toEqual(["BACKEND_QUERY", false]);
  });

  it("ends a call at its deadline even when the work never settles", async () => {
    const deadline = new Deadline(20, undefined, "The query");
    const never = new Promise<never>(() => undefined);
    await expect(deadline.race(never)).rejects.toMatchObject({ code: "BACKEND_TIMEOUT", message: expect.stringContaining("20 ms") as unknown });
    expect(deadline.signal.aborted).toBe(true);
    deadline.dispose();
  });

  it("ends a call when the caller aborts, naming the reason", async () => {
    const controller = new AbortController();
    const deadline = new Deadline(60_000, controller.signal, "The query");
    setTimeout(() => controller.abort(new Error("Ctrl-C")), 5);
    await expect(deadline.race(new Promise<never>(() => undefined))).rejects.toThrow(/aborted \(Ctrl-C\)/);
    deadline.dispose();
  });
});

describe("createSqlBackend over the standard dialect", () => {
  const at = { domain: "d", stage: "s", instance: "i" };
  const respond = (sql: string): Row[] => {
    if (sql.includes("information_schema.tables")) return [{ catalog: "db", name: "orders", type: "BASE TABLE" }];
    if (sql.includes("information_schema.columns")) return [{ name: "id", type: "INTEGER" }, { name: "amount", type: "DECIMAL(12,2)" }, { name: "note", type: "VARCHAR" }];
    return [{ n: 3 }];
  };
  const backend = (driver: RecordingDriver) =>
    createSqlBackend(driver, standard, { name: "test", target: (c) => ({ database: "db", schema: c.instance }), describe: () => "schema i", timeoutMs: 60_000 });

  it("binds count filters, never splicing values", async () => {
    const driver = new RecordingDriver(respond);
    expect(await backend(driver).countRows({ ...at, name: "orders" }, [{ column: "note", value: "x'; DROP" }, { column: "amount", value: null }])).toBe(3);
    expect(driver.statements.at(-1)).toEqual({ sql: 'SELECT count(*) AS n FROM "i"."orders" WHERE "note" = $1 AND "amount" IS NULL', params: ["x'; DROP"] });
  });

  it("writes the portable COMPARE plan (golden)", async () => {
    const driver = new RecordingDriver(respond, () => [{ name: "id", nativeType: "INTEGER" }, { name: "amount", nativeType: "INTEGER" }, { name: "note", nativeType: "VARCHAR" }]);
    await backend(driver).compare!({ at, object: "orders", keys: ["id"], expectedSql: "SELECT * FROM src; -- mine", tolerance: { default: 0, columns: { amount: 0.5 } } });
    const last = driver.statements.at(-1)!;
    expect({ ...last, sql: last.sql.replace(/_\d+_\d+\b/g, "_<id>") }).toMatchSnapshot();
  });

  it("writes the scan with code-point order terms (golden)", async () => {
    const driver = new RecordingDriver(respond);
    for await (const _row of backend(driver).scan!({ at, source: { kind: "object", name: "orders" }, orderBy: ["note", "id"] })) break;
    expect(driver.statements.at(-1)?.sql).toBe('SELECT * FROM "i"."orders" ORDER BY "note" ASC NULLS FIRST, "id" ASC NULLS FIRST');
  });
});
