import { expect } from "vitest";
import type { CompareResult } from "../../backend.js";
import { compareOracle, diffEntry } from "../compare-oracle.js";
import {
  COMPOSITE_TABLE,
  CONTRACT_TABLE,
  DUPLICATES_TABLE,
  EMPTY_TABLE,
  MANY_TABLE,
  NULL_KEYS_TABLE,
  TEXT_KEYS_TABLE,
  VALUES_TABLE,
} from "../fixture.js";
import { COMPARE_CASES } from "../compare-cases.js";
import { POLICY_VIEW_CASES } from "../compare-policies.js";
import { compare, expectCode, rowsSql, skip, type BackendCheck } from "./support.js";

const group = "COMPARE";
const orders = CONTRACT_TABLE.name;

/** The counts of a result, for one readable assertion. */
function counts(r: CompareResult) {
  return {
    expectedRows: r.expectedRows,
    actualRows: r.actualRows,
    matchedRows: r.matchedRows,
    missingRows: r.missingRows,
    extraRows: r.extraRows,
    mismatchedRows: r.mismatchedRows,
    duplicateKeys: r.duplicateKeys,
  };
}

const NONE = { expected: 0, actual: 0 };

export const compareChecks: BackendCheck[] = [
  {
    group,
    name: "compares an identical query as all matched, with an empty diff",
    needs: ["sql"],
    async run(env) {
      const result = await compare(env, { expectedSql: `SELECT * FROM ${orders}`, object: orders, keys: ["id"] });
      expect(counts(result)).toEqual({ expectedRows: 4, actualRows: 4, matchedRows: 4, missingRows: 0, extraRows: 0, mismatchedRows: 0, duplicateKeys: NONE });
      expect(result.columns).toEqual([{ name: "region", mismatches: 0 }, { name: "amount", mismatches: 0 }, { name: "ordered_on", mismatches: 0 }]);
      expect([result.diff, result.truncated, result.sample]).toEqual([[], false, null]);
    },
  },
  {
    group,
    name: "reports missing, extra, mismatched and duplicated rows with exact counts and both sides' values",
    needs: ["sql"],
    async run(env) {
      const expectedSql =
        `SELECT id, region, CASE WHEN id = 3 THEN amount + 1 ELSE amount END AS amount, ordered_on FROM ${orders} WHERE id <> 2 ` +
        `UNION ALL SELECT ${env.literal(9, "int")} AS id, 'africa' AS region, ${env.literal("1.00", "decimal(12,2)")} AS amount, ${env.literal("2024-02-01", "date")} AS ordered_on ` +
        `UNION ALL SELECT id, region, amount, ordered_on FROM ${orders} WHERE id = 4`;
      const result = await compare(env, { expectedSql, object: orders, keys: ["id"] });
      expect(counts(result)).toEqual({ expectedRows: 5, actualRows: 4, matchedRows: 1, missingRows: 1, extraRows: 1, mismatchedRows: 1, duplicateKeys: { expected: 1, actual: 0 } });
      expect(result.columns).toEqual([{ name: "region", mismatches: 0 }, { name: "amount", mismatches: 1 }, { name: "ordered_on", mismatches: 0 }]);
      const byKey = (id: number) => result.diff.find((d) => d.key.id === id);
      expect(byKey(3)).toEqual({
        kind: "mismatch", key: { id: 3 }, columns: ["amount"],
        expected: { id: 3, region: null, amount: "31.25", ordered_on: "2024-01-03" },
        actual: { id: 3, region: null, amount: "30.25", ordered_on: "2024-01-03" },
      });
      expect(byKey(9)).toMatchObject({ kind: "missing", expected: { id: 9, region: "africa", amount: "1.00", ordered_on: "2024-02-01" }, actual: null });
      expect(byKey(2)).toMatchObject({ kind: "extra", expected: null, actual: CONTRACT_TABLE.rows[1] });
      expect(byKey(4)).toMatchObject({ kind: "duplicate", side: "expected", count: 2, actual: null });
      expect(result.diff.map((d) => d.key.id)).toEqual([2, 3, 4, 9]);
      expect(result.truncated).toBe(false);
    },
  },
  {
    group,
    name: "counts duplicated keys per side, reports each once per side, and compares none of their rows",
    needs: ["sql", "fixtures"],
    async run(env) {
      const columns = DUPLICATES_TABLE.columns;
      const expectedSql = rowsSql(env, columns, [
        { code: "a", n: 1 }, { code: "a", n: 1 }, { code: "b", n: 2 }, { code: "b", n: 2 }, { code: "c", n: 9 }, { code: "d", n: 5 },
      ]);
      const result = await compare(env, { expectedSql, object: DUPLICATES_TABLE.name, keys: ["code"] });
      expect(counts(result)).toEqual({ expectedRows: 6, actualRows: 6, matchedRows: 0, missingRows: 1, extraRows: 0, mismatchedRows: 0, duplicateKeys: { expected: 2, actual: 2 } });
      expect(result.diff.map((d) => [d.kind, d.key.code, d.side ?? null, d.count ?? null])).toEqual([
        ["duplicate", "a", "expected", 2],
        ["duplicate", "b", "expected", 2],
        ["duplicate", "b", "actual", 3],
        ["duplicate", "c", "actual", 2],
        ["missing", "d", null, null],
      ]);
    },
  },
  {
    group,
    name: "gives a duplicate diff row the first row of the side named, and null for the other side",
    needs: ["sql", "fixtures"],
    async run(env) {
      const expectedSql = rowsSql(env, DUPLICATES_TABLE.columns, [{ code: "a", n: 1 }, { code: "a", n: 1 }, { code: "b", n: 2 }]);
      const result = await compare(env, { expectedSql, object: DUPLICATES_TABLE.name, keys: ["code"] });
      const sides = result.diff.filter((d) => d.kind === "duplicate").map((d) => [d.key.code, d.side, d.expected?.code ?? null, d.actual?.code ?? null]);
      expect(sides).toEqual([["a", "expected", "a", null], ["b", "actual", null, "b"], ["c", "actual", null, "c"]]);
    },
  },
  {
    group,
    name: "matches NULL keys with NULL keys (NULL-safe), and reports a NULL key's mismatch",
    needs: ["sql", "fixtures"],
    async run(env) {
      const same = await compare(env, { expectedSql: rowsSql(env, NULL_KEYS_TABLE.columns, NULL_KEYS_TABLE.rows), object: NULL_KEYS_TABLE.name, keys: ["id"] });
      expect(counts(same)).toEqual({ expectedRows: 3, actualRows: 3, matchedRows: 3, missingRows: 0, extraRows: 0, mismatchedRows: 0, duplicateKeys: NONE });
      const changed = await compare(env, {
        expectedSql: rowsSql(env, NULL_KEYS_TABLE.columns, [{ id: null, v: "m" }, { id: 1, v: "a" }, { id: 2, v: "b" }]),
        object: NULL_KEYS_TABLE.name,
        keys: ["id"],
      });
      expect(changed.mismatchedRows).toBe(1);
      expect(changed.diff).toEqual([{ kind: "mismatch", key: { id: null }, expected: { id: null, v: "m" }, actual: { id: null, v: "n" }, columns: ["v"] }]);
    },
  },
  {
    group,
    name: "compares NULLs in compared columns NULL-safely: NULL = NULL, NULL <> a value",
    needs: ["sql", "fixtures"],
    async run(env) {
      const expectedSql = `SELECT id, CASE WHEN id = 1 THEN NULL ELSE v END AS v FROM ${NULL_KEYS_TABLE.name}`;
      const result = await compare(env, { expectedSql, object: NULL_KEYS_TABLE.name, keys: ["id"] });
      expect(counts(result)).toEqual({ expectedRows: 3, actualRows: 3, matchedRows: 2, missingRows: 0, extraRows: 0, mismatchedRows: 1, duplicateKeys: NONE });
      expect(result.diff).toEqual([{ kind: "mismatch", key: { id: 1 }, expected: { id: 1, v: null }, actual: { id: 1, v: "a" }, columns: ["v"] }]);
      const nulls = await compare(env, { expectedSql: `SELECT id, txt FROM ${VALUES_TABLE.name}`, object: VALUES_TABLE.name, keys: ["id"], columns: ["txt"] });
      expect(nulls.matchedRows).toBe(6);
      const filled = await compare(env, { expectedSql: `SELECT id, COALESCE(txt, 'filled') AS txt FROM ${VALUES_TABLE.name}`, object: VALUES_TABLE.name, keys: ["id"], columns: ["txt"] });
      expect(filled.diff).toEqual([{ kind: "mismatch", key: { id: 6 }, expected: { id: 6, txt: "filled" }, actual: { id: 6, txt: null }, columns: ["txt"] }]);
    },
  },
  {
    group,
    name: "compares on composite keys (one part NULL) and lists differing rows in key order",
    needs: ["sql", "fixtures"],
    async run(env) {
      const expectedSql = rowsSql(env, COMPOSITE_TABLE.columns, [
        { region: "eu", id: 1, amount: "1.00" },
        { region: "eu", id: 2, amount: "2.50" },
        { region: "us", id: 2, amount: "3.00" },
        { region: null, id: 1, amount: "4.00" },
      ]);
      const result = await compare(env, { expectedSql, object: COMPOSITE_TABLE.name, keys: ["region", "id"] });
      expect(counts(result)).toEqual({ expectedRows: 4, actualRows: 4, matchedRows: 2, missingRows: 1, extraRows: 1, mismatchedRows: 1, duplicateKeys: NONE });
      expect(result.diff.map((d) => [d.kind, d.key])).toEqual([
        ["mismatch", { region: "eu", id: 2 }],
        ["extra", { region: "us", id: 1 }],
        ["missing", { region: "us", id: 2 }],
      ]);
      expect(result.columns).toEqual([{ name: "amount", mismatches: 1 }]);
      expect([result.diff[0]!.expected?.amount, result.diff[0]!.actual?.amount]).toEqual(["2.50", "2.00"]);
    },
  },
  {
    group,
    name: "matches text keys exactly and case-sensitively, listing differing keys in code-point order",
    needs: ["sql", "fixtures"],
    async run(env) {
      const t = TEXT_KEYS_TABLE.name;
      const expectedSql = `SELECT k, CASE WHEN k = 'a' THEN n + 100 ELSE n END AS n FROM ${t} WHERE k <> 'B' OR k IS NULL UNION ALL SELECT 'b ' AS k, ${env.literal(0, "int")} AS n`;
      const result = await compare(env, { expectedSql, object: t, keys: ["k"] });
      const total = TEXT_KEYS_TABLE.rows.length;
      expect(counts(result)).toEqual({ expectedRows: total, actualRows: total, matchedRows: total - 2, missingRows: 1, extraRows: 1, mismatchedRows: 1, duplicateKeys: NONE });
      expect(result.diff.map((d) => [d.kind, d.key.k])).toEqual([["extra", "B"], ["mismatch", "a"], ["missing", "b "]]);
    },
  },
  {
    group,
    name: "compares exact numbers exactly: DECIMAL(38,10) in the last digit, BIGINT beyond 2^53 by one",
    needs: ["sql", "fixtures"],
    async run(env) {
      const v = VALUES_TABLE.name;
      const expectedSql =
        `SELECT id, CASE WHEN id = 1 THEN ${env.literal("1234567890123456789012345678.1234567891", "decimal(38,10)")} ELSE "dec" END AS "dec", ` +
        `CASE WHEN id = 4 THEN ${env.literal("9007199254740994", "bigint")} ELSE big END AS big FROM ${v}`;
      const result = await compare(env, { expectedSql, object: v, keys: ["id"], columns: ["dec", "big"] });
      expect(counts(result)).toEqual({ expectedRows: 6, actualRows: 6, matchedRows: 4, missingRows: 0, extraRows: 0, mismatchedRows: 2, duplicateKeys: NONE });
      expect(result.columns).toEqual([{ name: "dec", mismatches: 1 }, { name: "big", mismatches: 1 }]);
      expect(result.diff.map((d) => [d.key.id, d.columns, d.expected, d.actual])).toEqual([
        [1, ["dec"], { id: 1, dec: "1234567890123456789012345678.1234567891", big: "9223372036854775807" }, { id: 1, dec: "1234567890123456789012345678.1234567890", big: "9223372036854775807" }],
        [4, ["big"], { id: 4, dec: "9999999999999999999999999999.9999999999", big: "9007199254740994" }, { id: 4, dec: "9999999999999999999999999999.9999999999", big: "9007199254740993" }],
      ]);
    },
  },
  {
    group,
    name: "shows diff values in port form when the sides type a column differently (INTEGER against BIGINT: numbers)",
    needs: ["sql", "fixtures"],
    async run(env) {
      const m = MANY_TABLE.name;
      const expectedSql = `SELECT id, CAST(v AS ${env.type("bigint")}) + CASE WHEN id = 5 THEN 1 ELSE 0 END AS v FROM ${m}`;
      const result = await compare(env, { expectedSql, object: m, keys: ["id"] });
      expect(counts(result)).toEqual({ expectedRows: 2000, actualRows: 2000, matchedRows: 1999, missingRows: 0, extraRows: 0, mismatchedRows: 1, duplicateKeys: NONE });
      expect(result.diff).toEqual([{ kind: "mismatch", key: { id: 5 }, expected: { id: 5, v: 6 }, actual: { id: 5, v: 5 }, columns: ["v"] }]);
    },
  },
  {
    group,
    name: "compares only the requested columns",
    needs: ["sql"],
    async run(env) {
      const expectedSql = `SELECT id, region, amount + 1 AS amount, ordered_on FROM ${orders}`;
      const result = await compare(env, { expectedSql, object: orders, keys: ["id"], columns: ["region"] });
      expect(counts(result)).toEqual({ expectedRows: 4, actualRows: 4, matchedRows: 4, missingRows: 0, extraRows: 0, mismatchedRows: 0, duplicateKeys: NONE });
      expect(result.columns).toEqual([{ name: "region", mismatches: 0 }]);
    },
  },
  {
    group,
    name: "applies a tolerance inclusively and exactly: a difference equal to it matches, one cent more does not",
    needs: ["sql"],
    async run(env) {
      const sql = (delta: string) => `SELECT id, CASE WHEN id = 1 THEN amount + ${env.literal(delta, "decimal(12,2)")} ELSE amount END AS amount FROM ${orders}`;
      const base = { object: orders, keys: ["id"], columns: ["amount"] };
      expect((await compare(env, { ...base, expectedSql: sql("0.05"), tolerance: { default: 0.05 } })).mismatchedRows).toBe(0);
      expect((await compare(env, { ...base, expectedSql: sql("0.06"), tolerance: { default: 0.05 } })).mismatchedRows).toBe(1);
      expect((await compare(env, { ...base, expectedSql: sql("-0.05"), tolerance: { default: 0, columns: { amount: 0.05 } } })).mismatchedRows).toBe(0);
      expect((await compare(env, { ...base, expectedSql: sql("0.01"), tolerance: { default: 0 } })).mismatchedRows).toBe(1);
    },
  },
  {
    group,
    name: "applies a column's tolerance to that column only; text columns never match within a tolerance",
    needs: ["sql"],
    async run(env) {
      const expectedSql = `SELECT id, CASE WHEN id = 1 THEN 'asia' ELSE region END AS region, amount + 1 AS amount, ordered_on FROM ${orders}`;
      const result = await compare(env, { expectedSql, object: orders, keys: ["id"], tolerance: { default: 0, columns: { amount: 1 } } });
      expect(result.columns).toEqual([{ name: "region", mismatches: 1 }, { name: "amount", mismatches: 0 }, { name: "ordered_on", mismatches: 0 }]);
      expect(result.mismatchedRows).toBe(1);
      expect(result.diff.map((d) => [d.key.id, d.columns])).toEqual([[1, ["region"]]]);
    },
  },
  {
    group,
    name: "matches the expected query's columns to the object's case-insensitively",
    needs: ["sql"],
    async run(env) {
      const expectedSql = `SELECT id, region AS "REGION", amount AS "Amount", ordered_on AS "ORDERED_ON" FROM ${orders}`;
      const result = await compare(env, { expectedSql, object: orders, keys: ["id"] });
      expect(counts(result)).toEqual({ expectedRows: 4, actualRows: 4, matchedRows: 4, missingRows: 0, extraRows: 0, mismatchedRows: 0, duplicateKeys: NONE });
      expect(result.columns.map((c) => c.name.toLowerCase())).toEqual(["region", "amount", "ordered_on"]);
    },
  },
  {
    group,
    name: "looks tolerances up by column name case-insensitively",
    needs: ["sql"],
    async run(env) {
      const expectedSql = `SELECT id, region, amount + ${env.literal("0.50", "decimal(12,2)")} AS "AMOUNT", ordered_on FROM ${orders}`;
      const upper = await compare(env, { expectedSql, object: orders, keys: ["id"], tolerance: { default: 0, columns: { AMOUNT: 1 } } });
      expect(upper.mismatchedRows).toBe(0);
      const lowerSql = `SELECT id, region, amount + ${env.literal("0.50", "decimal(12,2)")} AS amount, ordered_on FROM ${orders}`;
      const mixed = await compare(env, { expectedSql: lowerSql, object: orders, keys: ["id"], tolerance: { default: 0, columns: { Amount: 1 } } });
      expect(mixed.mismatchedRows).toBe(0);
    },
  },
  {
    group,
    name: "caps the diff at maxDiffRows in key order, says it was truncated, and keeps exact counts",
    needs: ["sql", "fixtures"],
    async run(env) {
      const m = MANY_TABLE.name;
      const expectedSql = `SELECT id, CASE WHEN id % 100 = 7 THEN v + 1 ELSE v END AS v FROM ${m} WHERE id % 100 <> 3 UNION ALL SELECT id + 5000 AS id, v FROM ${m} WHERE id < 5`;
      const full = await compare(env, { object: m, keys: ["id"], expectedSql, maxDiffRows: 1000 });
      expect(counts(full)).toEqual({ expectedRows: 1985, actualRows: 2000, matchedRows: 1960, missingRows: 5, extraRows: 20, mismatchedRows: 20, duplicateKeys: NONE });
      expect([full.diff.length, full.truncated]).toEqual([45, false]);
      const capped = await compare(env, { object: m, keys: ["id"], expectedSql, maxDiffRows: 4 });
      expect(capped.truncated).toBe(true);
      expect(capped.diff.map((d) => [d.kind, d.key.id])).toEqual([["extra", 3], ["mismatch", 7], ["extra", 103], ["mismatch", 107]]);
      expect(counts(capped)).toEqual(counts(full));
      const none = await compare(env, { object: m, keys: ["id"], expectedSql, maxDiffRows: 0 });
      expect([none.diff, none.truncated, none.mismatchedRows]).toEqual([[], true, 20]);
      const exact = await compare(env, { object: m, keys: ["id"], expectedSql, maxDiffRows: 45 });
      expect([exact.diff.length, exact.truncated]).toEqual([45, false]);
    },
  },
  {
    group,
    name: "compares an empty table with an empty query: nothing differs",
    needs: ["sql", "fixtures"],
    async run(env) {
      const result = await compare(env, { object: EMPTY_TABLE.name, keys: ["id"], expectedSql: `SELECT id, v FROM ${EMPTY_TABLE.name}` });
      expect(counts(result)).toEqual({ expectedRows: 0, actualRows: 0, matchedRows: 0, missingRows: 0, extraRows: 0, mismatchedRows: 0, duplicateKeys: NONE });
      expect([result.diff, result.truncated]).toEqual([[], false]);
    },
  },
  {
    group,
    name: "compares an empty table with a non-empty query: every expected row is missing",
    needs: ["sql", "fixtures"],
    async run(env) {
      const rows = [{ id: 1, v: 10 }, { id: 2, v: 20 }, { id: 3, v: null }];
      const result = await compare(env, { object: EMPTY_TABLE.name, keys: ["id"], expectedSql: rowsSql(env, EMPTY_TABLE.columns, rows) });
      expect(counts(result)).toEqual({ expectedRows: 3, actualRows: 0, matchedRows: 0, missingRows: 3, extraRows: 0, mismatchedRows: 0, duplicateKeys: NONE });
      expect(result.diff).toEqual(rows.map((r) => ({ kind: "missing", key: { id: r.id }, expected: r, actual: null, columns: [] })));
    },
  },
  {
    group,
    name: "compares a non-empty table with an empty query: every row is extra",
    needs: ["sql"],
    async run(env) {
      const result = await compare(env, { object: orders, keys: ["id"], expectedSql: `SELECT * FROM ${orders} WHERE id < 0` });
      expect(counts(result)).toEqual({ expectedRows: 0, actualRows: 4, matchedRows: 0, missingRows: 0, extraRows: 4, mismatchedRows: 0, duplicateKeys: NONE });
      expect(result.diff.map((d) => [d.kind, d.key.id, d.expected])).toEqual([1, 2, 3, 4].map((id) => ["extra", id, null]));
    },
  },
  {
    group,
    name: "takes the expected query as written: a trailing semicolon and comment",
    needs: ["sql"],
    async run(env) {
      const result = await compare(env, { object: orders, keys: ["id"], expectedSql: `SELECT * FROM ${orders}; -- the whole table\n` });
      expect(result.matchedRows).toBe(4);
      const comment = await compare(env, { object: orders, keys: ["id"], expectedSql: `SELECT * FROM ${orders} -- trailing comment` });
      expect(comment.matchedRows).toBe(4);
    },
  },
  {
    group,
    name: "refuses an unknown object with BACKEND_OBJECT_NOT_FOUND and a key column the query lacks with BACKEND_QUERY naming it",
    needs: ["sql"],
    async run(env) {
      await expectCode(compare(env, { object: "assay_contract_no_such_table", keys: ["id"], expectedSql: `SELECT * FROM ${orders}` }), "BACKEND_OBJECT_NOT_FOUND", "compare(unknown object)");
      const message = await expectCode(compare(env, { object: orders, keys: ["no_such_key"], expectedSql: `SELECT * FROM ${orders}` }), "BACKEND_QUERY", "compare(unknown key)");
      expect(message).toContain("no_such_key");
    },
  },
  {
    group,
    name: "samples deterministically by key hash, the same keys on both sides",
    needs: ["sql", "fixtures"],
    async run(env) {
      if (!env.backend().capabilities.sampledCompare) skip("the backend lacks the capability sampledCompare");
      const m = MANY_TABLE.name;
      const request = { object: m, keys: ["id"], expectedSql: `SELECT * FROM ${m}`, sample: { percent: 25, seed: "s1" } };
      const first = await compare(env, request);
      expect(await compare(env, request)).toEqual(first);
      expect(first).toMatchObject({ missingRows: 0, extraRows: 0, mismatchedRows: 0, sample: { percent: 25, seed: "s1" } });
      expect(first.expectedRows).toBe(first.actualRows);
      expect(first.expectedRows).toBeGreaterThan(0);
      expect(first.expectedRows).toBeLessThan(MANY_TABLE.rows.length);
      const changed = await compare(env, { ...request, expectedSql: `SELECT id, v + 1 AS v FROM ${m}` });
      expect([changed.mismatchedRows, changed.missingRows, changed.extraRows]).toEqual([first.expectedRows, 0, 0]);
    },
  },
  {
    group,
    name: "runs a non-deterministic expected query (random()) once: every differing row shows the values it was judged on",
    needs: ["sql", "fixtures"],
    async run(env) {
      const m = MANY_TABLE.name;
      const random = env.engine === "mariadb" ? "rand()" : env.engine === "clickhouse" ? "randCanonical()" : "random()";
      const result = await compare(env, { object: m, keys: ["id"], expectedSql: `SELECT id, v + 1 AS v FROM ${m} WHERE ${random} < 0.5`, maxDiffRows: 5000 });
      const total = MANY_TABLE.rows.length;
      expect(result.expectedRows).toBeGreaterThan(0);
      expect(result.expectedRows).toBeLessThan(total);
      expect(counts(result)).toEqual({
        expectedRows: result.expectedRows, actualRows: total, matchedRows: 0, missingRows: 0, extraRows: total - result.expectedRows, mismatchedRows: result.expectedRows, duplicateKeys: NONE,
      });
      const shown = result.diff.filter((d) => d.kind === "mismatch");
      expect(shown.length).toBe(result.expectedRows);
      expect(shown.filter((d) => d.expected?.v !== Number(d.actual?.v) + 1)).toEqual([]);
      expect(result.diff.filter((d) => d.kind === "extra").length).toBe(total - result.expectedRows);
    },
  },
  ...POLICY_VIEW_CASES.map<BackendCheck>((c) => ({
    group,
    name: c.name,
    needs: ["sql", "fixtures"],
    async run(env) {
      const sql = c.engines[env.engine ?? ""];
      if (!sql) skip(`the policy is pinned with ${c.types}, written for ${Object.keys(c.engines).join(", ")} only; this adapter declares engine ${env.engine ?? "(none)"}`);
      const result = await compare(env, { object: c.object, keys: [...c.keys], expectedSql: sql.expected, maxDiffRows: 1000 });
      expect(counts(result)).toEqual(c.counts);
      expect(result.columns).toEqual(c.columns);
      expect(result.diff).toEqual(sql.diff);
      expect(result.truncated).toBe(false);
    },
  })),
  ...COMPARE_CASES.map<BackendCheck>((c) => ({
    group,
    name: c.name,
    needs: ["sql", "fixtures"],
    async run(env) {
      const engines = c.actual.engines ?? c.expected.engines;
      if (engines && !engines.includes(env.engine ?? "")) skip(`the case's types exist on ${engines.join(", ")} only; this adapter declares engine ${env.engine ?? "(none)"}`);
      const columns = c.columns ?? c.expected.columns.map((x) => x.name).filter((name) => !c.keys.includes(name));
      const result = await compare(env, {
        object: c.actual.name,
        keys: [...c.keys],
        ...(c.columns ? { columns: [...c.columns] } : {}),
        ...(c.tolerance ? { tolerance: { default: c.tolerance.default ?? 0, columns: c.tolerance.columns ?? {} } } : {}),
        expectedSql: `SELECT * FROM ${c.expected.name}`,
        maxDiffRows: 10_000,
      });
      const oracle = c.result ? null : compareOracle(c.expected.rows, c.actual.rows, c.keys, columns);
      const want = c.result ?? {
        counts: {
          expectedRows: oracle!.expectedRows, actualRows: oracle!.actualRows, matchedRows: oracle!.matchedRows, missingRows: oracle!.missingRows,
          extraRows: oracle!.extraRows, mismatchedRows: oracle!.mismatchedRows, duplicateKeys: oracle!.duplicateKeys,
        },
        columns: oracle!.columns,
      };
      expect(counts(result)).toEqual(want.counts);
      if (want.columns) expect(result.columns).toEqual(want.columns);
      if (c.result?.diff) expect(result.diff).toEqual(c.result.diff);
      if (oracle) expect(result.diff.map((d) => diffEntry(d.kind, c.keys, d.key, d.kind === "duplicate" ? d.side : undefined)).sort()).toEqual(oracle.diff);
      expect(result.truncated).toBe(false);
    },
  })),
];
