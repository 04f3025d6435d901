import type { DiffRow } from "../backend.js";
import type { Row } from "../values.js";
import type { CompareCase, CompareCounts } from "./compare-cases.js";
import type { FixtureColumn, FixtureTable, FixtureView } from "./fixture.js";

/**
 * The COMPARE policies of issue 9, one fixture each, named after the policy it pins (the table
 * of types and policies is in docs/spec-formats.md and @assay/sql's README). Portable ones are
 * typed fixture tables (every engine loads them, gated by `engines` where a type or value does
 * not exist there); the rest are per-engine SQL (POLICY_VIEWS).
 */

const counts = (expected: number, matched: number, mismatched: number): CompareCounts => ({
  expectedRows: expected, actualRows: expected, matchedRows: matched, missingRows: 0, extraRows: 0, mismatchedRows: mismatched, duplicateKeys: { expected: 0, actual: 0 },
});

/** A fixture table pair: `<name>_expected` and `<name>_actual`, with one column list or one per side. */
function pair(name: string, columns: readonly FixtureColumn[] | [readonly FixtureColumn[], readonly FixtureColumn[]], expected: readonly Row[], actual: readonly Row[], engines?: readonly string[]) {
  const [e, a] = Array.isArray(columns[0]) ? (columns as [readonly FixtureColumn[], readonly FixtureColumn[]]) : [columns as readonly FixtureColumn[], columns as readonly FixtureColumn[]];
  const table = (side: string, cols: readonly FixtureColumn[], rows: readonly Row[]): FixtureTable => ({ name: `assay_contract_case_${name}_${side}`, columns: cols, rows, ...(engines ? { engines } : {}) });
  return { expected: table("expected", e, expected), actual: table("actual", a, actual) };
}

const mismatch = (id: number, columns: string[], expected: Row, actual: Row): DiffRow => ({ kind: "mismatch", key: { id }, columns, expected: { id, ...expected }, actual: { id, ...actual } });

const MAX = 1.7976931348623157e308;
const floats = pair(
  "special_floats",
  [{ name: "id", type: "int" }, { name: "x", type: "double" }],
  [{ id: 1, x: "NaN" }, { id: 2, x: "Infinity" }, { id: 3, x: "-Infinity" }, { id: 4, x: 0 }, { id: 5, x: "-Infinity" }, { id: 6, x: 1.5 }, { id: 7, x: "NaN" }, { id: 8, x: MAX }, { id: 9, x: 2.5 }],
  [{ id: 1, x: "NaN" }, { id: 2, x: "Infinity" }, { id: 3, x: "-Infinity" }, { id: 4, x: "-0" }, { id: 5, x: "Infinity" }, { id: 6, x: "NaN" }, { id: 7, x: 1.5 }, { id: 8, x: -MAX }, { id: 9, x: 2.25 }],
  // MariaDB stores neither NaN nor the infinities.
  ["duckdb", "postgres", "clickhouse"],
);
const floatDiff = [
  mismatch(5, ["x"], { x: "-Infinity" }, { x: "Infinity" }),
  mismatch(6, ["x"], { x: 1.5 }, { x: "NaN" }),
  mismatch(7, ["x"], { x: "NaN" }, { x: 1.5 }),
  mismatch(8, ["x"], { x: MAX }, { x: -MAX }),
];

const SPECIAL_FLOATS: CompareCase = {
  name: "special floats: NaN = NaN, an infinity = the same infinity, -0 = 0; NaN and the other infinity differ",
  ...floats,
  keys: ["id"],
  result: { counts: counts(9, 4, 5), columns: [{ name: "x", mismatches: 5 }], diff: [...floatDiff, mismatch(9, ["x"], { x: 2.5 }, { x: 2.25 })] },
};

const SPECIAL_FLOATS_TOLERANCE: CompareCase = {
  name: "special floats under a tolerance: equal infinities and NaNs still match, 1e308 against -1e308 differs without overflow",
  ...floats,
  keys: ["id"],
  tolerance: { default: 0.5 },
  result: { counts: counts(9, 5, 4), columns: [{ name: "x", mismatches: 4 }], diff: floatDiff },
};

const NUMERIC_NAN: CompareCase = {
  name: "numeric NaN equals numeric NaN, with a tolerance too, and differs from a number",
  ...pair("numeric_nan", [{ name: "id", type: "int" }, { name: "x", type: "decimal(12,2)" }], [{ id: 1, x: "NaN" }, { id: 2, x: "1.00" }, { id: 3, x: "1.00" }], [{ id: 1, x: "NaN" }, { id: 2, x: "NaN" }, { id: 3, x: "1.40" }], ["postgres"]),
  keys: ["id"],
  tolerance: { default: 0.5 },
  result: { counts: counts(3, 2, 1), columns: [{ name: "x", mismatches: 1 }], diff: [mismatch(2, ["x"], { x: "1.00" }, { x: "NaN" })] },
};

const NINES = "99999999999999999999999999999999999999";
const TOLERANCE_EXTREMES: CompareCase = {
  name: "a tolerance on BIGINT and DECIMAL(38,0) extremes: 9223372036854775807 against -1 differs, never an overflow error",
  ...pair(
    "tolerance_extremes",
    [{ name: "id", type: "int" }, { name: "n", type: "bigint" }, { name: "d", type: "decimal(38,0)" }],
    [{ id: 1, n: -1, d: `-${NINES}` }, { id: 2, n: 1, d: "0" }, { id: 3, n: 5, d: "5" }, { id: 4, n: 101, d: "101" }],
    [{ id: 1, n: "9223372036854775807", d: NINES }, { id: 2, n: "-9223372036854775808", d: "0" }, { id: 3, n: 5, d: "5" }, { id: 4, n: 100, d: "100" }],
  ),
  keys: ["id"],
  tolerance: { default: 1 },
  result: {
    counts: counts(4, 2, 2),
    columns: [{ name: "n", mismatches: 2 }, { name: "d", mismatches: 1 }],
    diff: [mismatch(1, ["n", "d"], { n: -1, d: `-${NINES}` }, { n: "9223372036854775807", d: NINES }), mismatch(2, ["n"], { n: 1, d: "0" }, { n: "-9223372036854775808", d: "0" })],
  },
};

const TOLERANCE_QUANTA: CompareCase = {
  name: "a tolerance of 1 on integers: 100 against 1 differs, 5000000000 against 5000000001 (beyond 2^32 tolerances) matches",
  ...pair(
    "tolerance_quanta",
    [{ name: "id", type: "int" }, { name: "n", type: "bigint" }],
    [{ id: 1, n: 100 }, { id: 2, n: 10 }, { id: 3, n: 5000000000 }, { id: 4, n: 5000000000 }, { id: 5, n: -7000000000 }, { id: 6, n: 250 }],
    [{ id: 1, n: 1 }, { id: 2, n: 10 }, { id: 3, n: 5000000001 }, { id: 4, n: 5000000002 }, { id: 5, n: -7000000001 }, { id: 6, n: 251 }],
  ),
  keys: ["id"],
  tolerance: { default: 1 },
  result: { counts: counts(6, 4, 2), columns: [{ name: "n", mismatches: 2 }], diff: [mismatch(1, ["n"], { n: 100 }, { n: 1 }), mismatch(4, ["n"], { n: 5000000000 }, { n: 5000000002 })] },
};

const ROW_HASH: CompareCase = {
  name: "the row hash separates values across columns: ('ab','c') against ('a','bc'), a NULL moved to the other column",
  ...pair(
    "row_hash",
    [{ name: "id", type: "int" }, { name: "a", type: "string" }, { name: "b", type: "string" }],
    [{ id: 1, a: "ab", b: "c" }, { id: 2, a: "a", b: null }, { id: 3, a: "", b: null }, { id: 4, a: "x", b: "y" }],
    [{ id: 1, a: "a", b: "bc" }, { id: 2, a: null, b: "a" }, { id: 3, a: null, b: "" }, { id: 4, a: "x", b: "y" }],
  ),
  keys: ["id"],
  result: {
    counts: counts(4, 1, 3),
    columns: [{ name: "a", mismatches: 3 }, { name: "b", mismatches: 3 }],
    diff: [
      mismatch(1, ["a", "b"], { a: "ab", b: "c" }, { a: "a", b: "bc" }),
      mismatch(2, ["a", "b"], { a: "a", b: null }, { a: null, b: "a" }),
      mismatch(3, ["a", "b"], { a: "", b: null }, { a: null, b: "" }),
    ],
  },
};

const DOUBLE_DECIMAL: CompareCase = {
  name: "DOUBLE against DECIMAL meets as DOUBLE at full precision (never 15 digits), and the diff shows the decimal as written",
  ...pair(
    "double_decimal",
    [[{ name: "id", type: "int" }, { name: "x", type: "decimal(30,20)" }], [{ name: "id", type: "int" }, { name: "x", type: "double" }]],
    [{ id: 1, x: "1.00000000000000000001" }, { id: 2, x: "1.00000000000000020000" }, { id: 3, x: "1.00000000000000000000" }, { id: 4, x: "0.10000000000000000000" }],
    [{ id: 1, x: 1 }, { id: 2, x: 1.0000000000000002 }, { id: 3, x: 1.0000000000000002 }, { id: 4, x: 0.1 }],
  ),
  keys: ["id"],
  result: { counts: counts(4, 3, 1), columns: [{ name: "x", mismatches: 1 }], diff: [mismatch(3, ["x"], { x: "1.00000000000000000000" }, { x: 1.0000000000000002 })] },
};

const BIGINT_DECIMAL: CompareCase = {
  name: "BIGINT against DECIMAL(38,0) compares exactly beyond 2^53",
  ...pair(
    "bigint_decimal",
    [[{ name: "id", type: "int" }, { name: "n", type: "decimal(38,0)" }], [{ name: "id", type: "int" }, { name: "n", type: "bigint" }]],
    [{ id: 1, n: "9007199254740992" }, { id: 2, n: "9223372036854775807" }],
    [{ id: 1, n: "9007199254740993" }, { id: 2, n: "9223372036854775807" }],
  ),
  keys: ["id"],
  result: { counts: counts(2, 1, 1), columns: [{ name: "n", mismatches: 1 }], diff: [mismatch(1, ["n"], { n: "9007199254740992" }, { n: "9007199254740993" })] },
};

const DATE_TIMESTAMP: CompareCase = {
  name: "DATE against TIMESTAMP: a date equals the timestamp at its midnight; the diff shows each side's own value",
  ...pair(
    "date_timestamp",
    [[{ name: "id", type: "int" }, { name: "t", type: "date" }], [{ name: "id", type: "int" }, { name: "t", type: "timestamp" }]],
    [{ id: 1, t: "2024-01-01" }, { id: 2, t: "2024-01-02" }, { id: 3, t: "2024-01-03" }],
    [{ id: 1, t: "2024-01-01T00:00:00" }, { id: 2, t: "2024-01-02T00:00:01" }, { id: 3, t: "2024-01-04T00:00:00" }],
  ),
  keys: ["id"],
  result: {
    counts: counts(3, 1, 2),
    columns: [{ name: "t", mismatches: 2 }],
    diff: [mismatch(2, ["t"], { t: "2024-01-02" }, { t: "2024-01-02T00:00:01" }), mismatch(3, ["t"], { t: "2024-01-03" }, { t: "2024-01-04T00:00:00" })],
  },
};

const BOOLEAN_INTEGER: CompareCase = {
  name: "BOOLEAN against an integer: TRUE equals 1 and FALSE equals 0, any other number differs; the diff shows each side's own value",
  ...pair(
    "boolean_integer",
    [[{ name: "id", type: "int" }, { name: "f", type: "boolean" }], [{ name: "id", type: "int" }, { name: "f", type: "int" }]],
    [{ id: 1, f: true }, { id: 2, f: false }, { id: 3, f: true }, { id: 4, f: null }, { id: 5, f: false }],
    [{ id: 1, f: 1 }, { id: 2, f: 0 }, { id: 3, f: 2 }, { id: 4, f: 0 }, { id: 5, f: 1 }],
  ),
  keys: ["id"],
  result: {
    counts: counts(5, 2, 3),
    columns: [{ name: "f", mismatches: 3 }],
    diff: [mismatch(3, ["f"], { f: true }, { f: 2 }), mismatch(4, ["f"], { f: null }, { f: 0 }), mismatch(5, ["f"], { f: false }, { f: 1 })],
  },
};

const TEXT_EXACT: CompareCase = {
  name: "text compares exactly: trailing spaces, case and Unicode normalisation (É against E + U+0301) make different values",
  ...pair(
    "text_exact",
    [{ name: "id", type: "int" }, { name: "s", type: "string" }],
    [{ id: 1, s: "a" }, { id: 2, s: "A" }, { id: 3, s: "\u00c9" }, { id: 4, s: "same" }],
    [{ id: 1, s: "a " }, { id: 2, s: "a" }, { id: 3, s: "E\u0301" }, { id: 4, s: "same" }],
  ),
  keys: ["id"],
  result: {
    counts: counts(4, 1, 3),
    columns: [{ name: "s", mismatches: 3 }],
    diff: [mismatch(1, ["s"], { s: "a" }, { s: "a " }), mismatch(2, ["s"], { s: "A" }, { s: "a" }), mismatch(3, ["s"], { s: "\u00c9" }, { s: "E\u0301" })],
  },
};

/** A user table named like a generated name (PostgreSQL's `repeats` CTE, the portable plan's CTEs) is the one the query reads. */
const hidden = (name: string): CompareCase => ({
  name: `a user table named ${name} is read by the expected query, not hidden by a generated name`,
  expected: { name, columns: [{ name: "id", type: "int" }, { name: "v", type: "int" }], rows: [{ id: 1, v: 10 }, { id: 2, v: 20 }] },
  actual: { name: `assay_contract_case_hidden${name}_actual`, columns: [{ name: "id", type: "int" }, { name: "v", type: "int" }], rows: [{ id: 1, v: 10 }, { id: 2, v: 21 }] },
  keys: ["id"],
  result: { counts: counts(2, 1, 1), columns: [{ name: "v", mismatches: 1 }], diff: [mismatch(2, ["v"], { v: 20 }, { v: 21 })] },
});

/** The portable policy cases (fixture tables on every engine that has their types). */
export const POLICY_CASES: readonly CompareCase[] = [
  SPECIAL_FLOATS,
  SPECIAL_FLOATS_TOLERANCE,
  NUMERIC_NAN,
  TOLERANCE_EXTREMES,
  TOLERANCE_QUANTA,
  ROW_HASH,
  DOUBLE_DECIMAL,
  BIGINT_DECIMAL,
  DATE_TIMESTAMP,
  BOOLEAN_INTEGER,
  TEXT_EXACT,
  hidden("repeats"),
  hidden("__assay_expected"),
  hidden("__assay_sides"),
];

/**
 * A policy on types the portable fixtures cannot spell (TIMESTAMPTZ, INTERVAL, JSON, arrays,
 * nested values, binary): per engine, the object (loaded as a view) and the expected query.
 * An engine without an entry skips the check, naming the types it lacks.
 */
export interface PolicyViewCase {
  name: string;
  /** The view's name (the object compared). */
  object: string;
  /** The types, for the skip reason. */
  types: string;
  keys: readonly string[];
  counts: CompareCounts;
  columns: readonly { name: string; mismatches: number }[];
  engines: Readonly<Record<string, { actual: string; expected: string; diff: readonly DiffRow[] }>>;
}

/** A nested-values diff row: DuckDB's values as JSON text, the columns not named as in every row. */
const NESTED_ROW: Row = { l: "[1]", s: '{"a":1}', m: '[{"key":"k","value":1}]', ll: "[[1]]", tl: '["x"]' };
const nested = (id: number, columns: string[], expected: Row, actual: Row): DiffRow => mismatch(id, columns, { ...NESTED_ROW, ...expected }, { ...NESTED_ROW, ...actual });

const union = (rows: string[]): string => rows.map((r) => `SELECT ${r}`).join(" UNION ALL ");

/** `CAST('…' AS TIMESTAMP [WITH TIME ZONE])`: the same SQL on DuckDB and PostgreSQL. */
const TS = (text: string) => `CAST('${text}' AS TIMESTAMP)`;
const TSTZ = (text: string) => `CAST('${text}' AS TIMESTAMP WITH TIME ZONE)`;
const timestamps = {
  actual: union([`1 AS id, ${TS("2024-01-01 10:00:00")} AS t`, `2, ${TS("2024-01-01 10:00:00")}`]),
  expected: union([`1 AS id, ${TSTZ("2024-01-01 10:00:00+00")} AS t`, `2, ${TSTZ("2024-01-01 10:00:00+01")}`]),
  diff: [mismatch(2, ["t"], { t: "2024-01-01T09:00:00Z" }, { t: "2024-01-01T10:00:00" })],
};

const binary = (decode: (base64: string) => string) => ({
  actual: union([`1 AS id, ${decode("AAE=")} AS b`, `2, ${decode("AA==")}`, `3, ${decode("QQ==")}`]),
  expected: union([`1 AS id, ${decode("AAE=")} AS b`, `2, ${decode("AAA=")}`, `3, ${decode("YQ==")}`]),
  diff: [mismatch(2, ["b"], { b: "AAA=" }, { b: "AA==" }), mismatch(3, ["b"], { b: "YQ==" }, { b: "QQ==" })],
});

/** CHAR(n) against TEXT: never cast to `character` (PostgreSQL's char(1)), where 'NEW' = 'NOT' and keys DE and DK collapse. */
const chars = (char = (n: number) => `CHAR(${n})`, varchar = "VARCHAR(10)") => ({
  actual: union([`CAST('DE' AS ${char(2)}) AS k, CAST('NEW' AS ${char(3)}) AS code`, `CAST('DK' AS ${char(2)}), CAST('NEW' AS ${char(3)})`]),
  expected: union([`CAST('DE' AS ${varchar}) AS k, CAST('NOT' AS ${varchar}) AS code`, `CAST('DK' AS ${varchar}), CAST('NEW' AS ${varchar})`]),
  diff: [{ kind: "mismatch", key: { k: "DE" }, columns: ["code"], expected: { k: "DE", code: "NOT" }, actual: { k: "DE", code: "NEW" } }] as DiffRow[],
});

/** REAL against DOUBLE meets as DOUBLE: 16777216 equals itself, 16777217 (beyond REAL) differs. */
const reals = (real = "REAL", double = "DOUBLE PRECISION") => ({
  actual: union([`1 AS id, CAST(16777216 AS ${real}) AS x`, `2, CAST(16777216 AS ${real})`, `3, CAST(0.5 AS ${real})`]),
  expected: union([`1 AS id, CAST(16777216 AS ${double}) AS x`, `2, CAST(16777217 AS ${double})`, `3, CAST(0.5 AS ${double})`]),
  diff: [mismatch(2, ["x"], { x: 16777217 }, { x: 16777216 })],
});

export const POLICY_VIEW_CASES: readonly PolicyViewCase[] = [
  {
    name: "CHAR(n) against VARCHAR is never cast narrower than a side: 'NEW' differs from 'NOT', keys DE and DK stay two keys",
    object: "assay_contract_policy_chars",
    types: "CHAR(n)",
    keys: ["k"],
    counts: counts(2, 1, 1),
    columns: [{ name: "code", mismatches: 1 }],
    // MariaDB's CAST has no CHAR(n) (it gives VARCHAR); ClickHouse's fixed-width type is FixedString(n).
    engines: { duckdb: chars(), postgres: chars(), clickhouse: chars((n) => `FixedString(${n})`, "String") },
  },
  {
    name: "REAL against DOUBLE meets as DOUBLE: 16777216 equals itself, 16777217 differs",
    object: "assay_contract_policy_reals",
    types: "REAL",
    keys: ["id"],
    counts: counts(3, 2, 1),
    columns: [{ name: "x", mismatches: 1 }],
    engines: { duckdb: reals(), postgres: reals(), mariadb: reals("FLOAT", "DOUBLE"), clickhouse: reals("Float32", "Float64") },
  },
  {
    name: "HUGEINT against BIGINT and DECIMAL(38,0) compares exactly, never through DOUBLE",
    object: "assay_contract_policy_hugeint",
    types: "HUGEINT",
    keys: ["id"],
    counts: counts(3, 1, 2),
    columns: [{ name: "a", mismatches: 1 }, { name: "d", mismatches: 1 }],
    engines: {
      duckdb: {
        actual: union([
          `1 AS id, CAST('9007199254740993' AS HUGEINT) AS a, CAST('12345678901234567890123456789012345678' AS HUGEINT) AS d`,
          `2, CAST(5 AS HUGEINT), CAST('12345678901234567890123456789012345679' AS HUGEINT)`,
          `3, CAST(7 AS HUGEINT), CAST(7 AS HUGEINT)`,
        ]),
        expected: union([
          `1 AS id, CAST('9007199254740992' AS BIGINT) AS a, CAST('12345678901234567890123456789012345678' AS DECIMAL(38,0)) AS d`,
          `2, CAST(5 AS BIGINT), CAST('12345678901234567890123456789012345678' AS DECIMAL(38,0))`,
          `3, CAST(7 AS BIGINT), CAST(7 AS DECIMAL(38,0))`,
        ]),
        diff: [
          mismatch(1, ["a"], { a: "9007199254740992", d: "12345678901234567890123456789012345678" }, { a: "9007199254740993", d: "12345678901234567890123456789012345678" }),
          mismatch(2, ["d"], { a: 5, d: "12345678901234567890123456789012345678" }, { a: 5, d: "12345678901234567890123456789012345679" }),
        ],
      },
    },
  },
  {
    name: "TIMESTAMP against TIMESTAMPTZ: the timestamp is read as UTC and compared as an instant; the diff shows each side's own value",
    object: "assay_contract_policy_timestamptz",
    types: "TIMESTAMP WITH TIME ZONE",
    keys: ["id"],
    counts: counts(2, 1, 1),
    columns: [{ name: "t", mismatches: 1 }],
    engines: { duckdb: timestamps, postgres: timestamps },
  },
  {
    name: "INTERVAL compares field by field: '1 month' differs from '30 days'",
    object: "assay_contract_policy_interval",
    types: "INTERVAL",
    keys: ["id"],
    counts: counts(2, 1, 1),
    columns: [{ name: "i", mismatches: 1 }],
    engines: {
      duckdb: {
        actual: union([`1 AS id, INTERVAL '1 month' AS i`, `2, INTERVAL '2 days'`]),
        expected: union([`1 AS id, INTERVAL '30 days' AS i`, `2, INTERVAL '2 days'`]),
        diff: [mismatch(1, ["i"], { i: "30 days" }, { i: "1 month" })],
      },
      postgres: {
        actual: union([`1 AS id, INTERVAL '1 month' AS i`, `2, INTERVAL '2 days'`]),
        expected: union([`1 AS id, INTERVAL '30 days' AS i`, `2, INTERVAL '2 days'`]),
        diff: [mismatch(1, ["i"], { i: "P30D" }, { i: "P1M" })],
      },
    },
  },
  {
    name: "JSON compares as written: values differing only in number formatting (1.0 against 1) differ",
    object: "assay_contract_policy_json",
    types: "JSON",
    keys: ["id"],
    counts: counts(2, 1, 1),
    columns: [{ name: "j", mismatches: 1 }],
    engines: {
      duckdb: {
        actual: union([`1 AS id, CAST('{"a":1}' AS JSON) AS j`, `2, CAST('{"a":2}' AS JSON)`]),
        expected: union([`1 AS id, CAST('{"a":1.0}' AS JSON) AS j`, `2, CAST('{"a":2}' AS JSON)`]),
        diff: [mismatch(1, ["j"], { j: '{"a":1.0}' }, { j: '{"a":1}' })],
      },
      postgres: {
        actual: union([`1 AS id, CAST('{"a":1}' AS jsonb) AS j`, `2, CAST('{"a":2}' AS jsonb)`]),
        expected: union([`1 AS id, CAST('{"a":1.0}' AS jsonb) AS j`, `2, CAST('{"a":2}' AS jsonb)`]),
        diff: [mismatch(1, ["j"], { j: '{"a": 1.0}' }, { j: '{"a": 1}' })],
      },
    },
  },
  {
    name: "numeric arrays compare element by element in order: [] differs from NULL and from [NULL], [1,2] from [2,1]",
    object: "assay_contract_policy_arrays",
    types: "arrays",
    keys: ["id"],
    counts: counts(5, 2, 3),
    columns: [{ name: "v", mismatches: 3 }],
    engines: {
      duckdb: {
        actual: union([`1 AS id, CAST([1.5, 2] AS DECIMAL(4,2)[]) AS v`, `2, CAST([1, 2] AS DECIMAL(4,2)[])`, `3, CAST([] AS DECIMAL(4,2)[])`, `4, CAST([NULL] AS DECIMAL(4,2)[])`, `5, CAST([1, NULL] AS DECIMAL(4,2)[])`]),
        expected: union([`1 AS id, CAST([1.50, 2.00] AS DECIMAL(4,2)[]) AS v`, `2, CAST([2, 1] AS DECIMAL(4,2)[])`, `3, CAST(NULL AS DECIMAL(4,2)[])`, `4, CAST([] AS DECIMAL(4,2)[])`, `5, CAST([1, NULL] AS DECIMAL(4,2)[])`]),
        diff: [
          mismatch(2, ["v"], { v: '["2.00","1.00"]' }, { v: '["1.00","2.00"]' }),
          mismatch(3, ["v"], { v: null }, { v: "[]" }),
          mismatch(4, ["v"], { v: "[]" }, { v: "[null]" }),
        ],
      },
      postgres: {
        // ARRAY[...]: a `{word}` in a view's text names another fixture.
        actual: union([`1 AS id, ARRAY[1.5, 2]::numeric[] AS v`, `2, ARRAY[1, 2]::numeric[]`, `3, ARRAY[]::numeric[]`, `4, ARRAY[NULL]::numeric[]`, `5, ARRAY[1, NULL]::numeric[]`]),
        expected: union([`1 AS id, ARRAY[1.50, 2.00]::numeric[] AS v`, `2, ARRAY[2, 1]::numeric[]`, `3, CAST(NULL AS numeric[])`, `4, ARRAY[]::numeric[]`, `5, ARRAY[1, NULL]::numeric[]`]),
        diff: [mismatch(2, ["v"], { v: "{2,1}" }, { v: "{1,2}" }), mismatch(3, ["v"], { v: null }, { v: "{}" }), mismatch(4, ["v"], { v: "{}" }, { v: "{NULL}" })],
      },
    },
  },
  {
    name: "nested values: a NULL list, [] and [NULL], a NULL struct and one of NULLs, a NULL map and an empty map all differ",
    object: "assay_contract_policy_nested",
    types: "LIST, STRUCT and MAP",
    keys: ["id"],
    counts: counts(7, 1, 6),
    columns: [{ name: "l", mismatches: 3 }, { name: "s", mismatches: 1 }, { name: "m", mismatches: 1 }, { name: "ll", mismatches: 1 }, { name: "tl", mismatches: 1 }],
    engines: {
      duckdb: {
        actual: union([
          `1 AS id, CAST(NULL AS INTEGER[]) AS l, {'a': 1} AS s, MAP {'k': 1} AS m, [[1]] AS ll, ['x'] AS tl`,
          `2, [], {'a': 1}, MAP {'k': 1}, [[1]], ['x']`,
          `3, [NULL], {'a': 1}, MAP {'k': 1}, [[1]], ['x']`,
          `4, [1], CAST(NULL AS STRUCT(a INTEGER)), MAP {'k': 1}, [[1]], ['x']`,
          `5, [1], {'a': 1}, CAST(NULL AS MAP(VARCHAR, INTEGER)), [[1]], ['x']`,
          `6, [1], {'a': 1}, MAP {'k': 1}, [NULL], ['a, b']`,
          `7, [1], {'a': 1}, MAP {'k': 1}, [[1]], ['x']`,
        ]),
        expected: union([
          `1 AS id, CAST([] AS INTEGER[]) AS l, {'a': 1} AS s, MAP {'k': 1} AS m, [[1]] AS ll, ['x'] AS tl`,
          `2, [NULL], {'a': 1}, MAP {'k': 1}, [[1]], ['x']`,
          `3, [], {'a': 1}, MAP {'k': 1}, [[1]], ['x']`,
          `4, [1], {'a': NULL}, MAP {'k': 1}, [[1]], ['x']`,
          `5, [1], {'a': 1}, CAST(MAP {} AS MAP(VARCHAR, INTEGER)), [[1]], ['x']`,
          `6, [1], {'a': 1}, MAP {'k': 1}, [[]], ['a', 'b']`,
          `7, [1], {'a': 1}, MAP {'k': 1}, [[1]], ['x']`,
        ]),
        diff: [
          nested(1, ["l"], { l: "[]" }, { l: null }),
          nested(2, ["l"], { l: "[null]" }, { l: "[]" }),
          nested(3, ["l"], { l: "[]" }, { l: "[null]" }),
          nested(4, ["s"], { s: '{"a":null}' }, { s: null }),
          nested(5, ["m"], { m: "[]" }, { m: null }),
          nested(6, ["ll", "tl"], { ll: "[[]]", tl: '["a","b"]' }, { ll: "[null]", tl: '["a, b"]' }),
        ],
      },
    },
  },
  {
    name: "binary values compare as bytes and show as base64",
    object: "assay_contract_policy_binary",
    types: "BLOB/BYTEA",
    keys: ["id"],
    counts: counts(3, 1, 2),
    columns: [{ name: "b", mismatches: 2 }],
    // ClickHouse has no binary type (its String holds bytes and is text to assay).
    engines: { duckdb: binary((b) => `from_base64('${b}')`), postgres: binary((b) => `decode('${b}', 'base64')`), mariadb: binary((b) => `FROM_BASE64('${b}')`) },
  },
];

/** The views of POLICY_VIEW_CASES, each loaded only on its engines. */
export const POLICY_VIEWS: readonly FixtureView[] = POLICY_VIEW_CASES.flatMap((c) =>
  Object.entries(c.engines).map(([engine, sql]) => ({ name: c.object, view: sql.actual, engines: [engine] })),
);
