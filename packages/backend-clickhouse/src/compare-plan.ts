import type { Row } from "@assay/ports";
import { Binder, booleanFlags, castTo, differs, isCast, keyOrder, kindCase, ownValues, sideValue, summaryTerms, type ComparePlanner } from "@assay/sql";
type Which = "expected" | "actual";

/**
 * ClickHouse's COMPARE, all in the engine (so it runs distributed as any query does). With no
 * repeated key (checked by scalar subqueries of the same statement), one FULL JOIN on the keys,
 * NULL keys meeting through isNotDistinctFrom: 1.0–1.4 × a hand-written FULL JOIN at 1M rows, where
 * the union/group-by plan, which carries every value through the aggregation, took 4.2 ×. A key
 * that repeats makes the join's counts wrong, so then the union/group-by plan runs. Either way
 * one aggregation gives the counts and the first differing keys (groupArraySortedIf), with each side's own value of a column cast to meet.
 */
export const clickHouseComparePlan: ComparePlanner = async (input) => {
  const { session, dialect, plan, expectedBody, object } = input;
  const { keys, columns, request } = plan;
  let binder = new Binder(dialect);
  const keyList = keys.map((_, i) => `k${i}`);
  const sample = (alias: string, which: Which): string =>
    request.sample && dialect.sampleCondition ? ` WHERE ${dialect.sampleCondition(keys.map((k) => castTo(dialect, sideValue(dialect, k, which, alias), { kind: "text" })), request.sample.seed, request.sample.percent, binder.bind)}` : "";
  const values = (which: Which, alias: string, head: string): string =>
    [...keys.map((k, i) => `${sideValue(dialect, k, which, alias)} AS k${i}`), head, ...columns.flatMap((c, i) => [`${sideValue(dialect, c, which, alias)} AS c${i}`, ...(isCast(c) ? ownValues(dialect, c, i, which, alias) : [])])].join(", ");
  const side = (which: Which, head: string): string => {
    const [from, alias] = which === "expected" ? [`(\n${expectedBody})`, "e"] : [object.sql, "a"];
    return `SELECT ${values(which, alias, head)} FROM ${from} AS ${alias}${sample(alias, which)}`;
  };
  const shown = [...keyList, "kind", "en", "an", ...columns.flatMap((c, i) => [`${isCast(c) ? "o" : ""}e_c${i}`, `${isCast(c) ? "o" : ""}a_c${i}`, `m_c${i}`])];
  const owned = (pick: (i: number, p: "e" | "a") => string): string => columns.map((c, i) => (isCast(c) ? `, ${pick(i, "e")} AS oe_c${i}, ${pick(i, "a")} AS oa_c${i}` : "")).join("");
  const summary = summaryTerms(columns.length);
  const names = summary.map((t) => /AS (\w+)$/.exec(t)![1]!);
  // Rows of keys, en, an, e_c<i>, a_c<i> and m_c<i>, aggregated into the one result shape.
  const run = async (rows: string, extra = ""): Promise<Row[]> => {
    const result = await session.all(
      `SELECT * FROM (SELECT ${names.join(", ")}${extra ? ", repeated" : ""}, ${shown.map((f, i) => `tupleElement(t, ${i + 1}) AS ${f.replace(/^o/, "")}`).join(", ")} FROM (
  SELECT ${summary.join(", ")}${extra}, groupArraySortedIf(${request.maxDiffRows + 1})(tuple(${shown.join(", ")}), kind IS NOT NULL) AS diff FROM (
    SELECT *, ${kindCase(columns.length)} AS kind FROM (${rows})))
LEFT ARRAY JOIN diff AS t) AS d ORDER BY ${keyOrder(dialect, plan, "d")}`,
      binder.values,
    );
    // No differing key: LEFT ARRAY JOIN gives one row of defaults, kind ''; flags come as UInt8.
    return result.map((row) => booleanFlags(row.kind === "" ? { ...row, kind: null } : row));
  };

  const repeats = (which: Which): string => `(SELECT count() FROM (SELECT ${keyList.join(", ")} FROM (${side(which, "1 AS p")}) GROUP BY ${keyList.join(", ")} HAVING count() > 1 LIMIT 1))`;
  const flags = columns.map((c, i) => `, (x.p = 1 AND y.p = 1 AND ${differs(dialect, c, `x.c${i}`, `y.c${i}`, binder.bind)}) AS m_c${i}`).join("");
  const joined = await run(
    `SELECT ${[...keyList.map((k) => `coalesce(x.${k}, y.${k}) AS ${k}`), "x.p AS en", "y.p AS an", ...columns.map((_, i) => `x.c${i} AS e_c${i}, y.c${i} AS a_c${i}`)].join(", ")}${owned((i, p) => `${p === "e" ? "x" : "y"}.o${p}_c${i}`)}${flags}
      FROM (${side("expected", "1 AS p")}) AS x FULL JOIN (${side("actual", "1 AS p")}) AS y ON ${keyList.map((k) => `isNotDistinctFrom(x.${k}, y.${k})`).join(" AND ")}`,
    `, ${repeats("expected")} + ${repeats("actual")} AS repeated`,
  );
  if (Number(joined[0]?.repeated ?? 0) === 0) return joined;
  binder = new Binder(dialect); // the second statement binds its own parameters
  const grouped = [...keyList, "countIf(s = 1) AS en", "countIf(s = 0) AS an", ...columns.flatMap((_, i) => [`anyIf(c${i}, s = 1) AS e_c${i}`, `anyIf(c${i}, s = 0) AS a_c${i}`])];
  const perKey = columns.map((c, i) => `, (en = 1 AND an = 1 AND ${differs(dialect, c, `e_c${i}`, `a_c${i}`, binder.bind)}) AS m_c${i}`).join("");
  return run(`SELECT *${perKey} FROM (SELECT ${grouped.join(", ")}${owned((i, p) => `anyIf(o${p}_c${i}, s = ${p === "e" ? 1 : 0})`)} FROM (${side("expected", "1 AS s")} UNION ALL ${side("actual", "0 AS s")}) GROUP BY ${keyList.join(", ")})`);
};
