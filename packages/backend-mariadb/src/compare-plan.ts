import type { Row } from "@assay/ports";
import { Binder, booleanFlags, differs, isCast, keyOrder, kindCase, ownValue, portablePlan, quoteIdent, sideValue, type ComparedColumn, type ComparePlanner, type Session, type SessionTarget, volatileQuery } from "@assay/sql";

/** Whether an index of the table leads with exactly the key columns (lookups), and whether a unique one lies within them. */
async function keyIndexes(session: Session, at: SessionTarget, table: string, keys: string[]): Promise<{ indexed: boolean; unique: boolean }> {
  const rows = await session.all("SELECT index_name AS i, non_unique AS u, lower(column_name) AS c FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? ORDER BY index_name, seq_in_index", [at.database, table]);
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  const indexes = [...new Set(rows.map((r) => r.i))].map((name) => rows.filter((r) => r.i === name));
  const within = (columns: Row[]): boolean => columns.every((r) => wanted.has(String(r.c)));
  return { indexed: indexes.some((x) => x.length >= wanted.size && within(x.slice(0, wanted.size))), unique: indexes.some((x) => Number(x[0]!.u) === 0 && within(x)) };
}

/**
 * MariaDB's tuned COMPARE: the portable plan groups the union of both sides by key, which MariaDB
 * does through an on-disk temporary table (10.7 × the floor at 1M rows). Here, with no FULL JOIN
 * and no temporary table (refused in a READ ONLY transaction): a check that no key repeats; one
 * aggregate over the expected rows LEFT JOINed to the object by its key index, giving every
 * count (extra rows: the object's count less those matched); and only if something differs, the
 * first differing keys with their values, from that join and the anti-join, in key order with
 * LIMIT. Keys cast to meet, repeated keys, views, sampling, objects without such an index (or text
 * keys of two collations) and volatile expected queries (read here several times) take the
 * portable plan.
 */
export const mariaDbComparePlan: ComparePlanner = async (input) => {
  const { session, dialect, plan, expectedBody, object, at } = input;
  const { keys, columns, request } = plan;
  const raw = (alias: string, k: ComparedColumn, side: "expected" | "actual"): string => `${alias}.${quoteIdent(k[side].name)}`;
  // MariaDB evaluates a CTE once per reference and refuses temp tables read-only: a volatile query is read once by window aggregates (1.5 × slower at 200k rows, so only then).
  const volatile = await volatileQuery(session, expectedBody);
  const portable = async (): Promise<Row[]> => (await portablePlan(volatile ? { ...input, dialect: { ...dialect, singlePass: true } } : input)).map(booleanFlags);
  if (request.sample || object.kind !== "table" || !keys.every((k) => k.meet.kind === "same") || volatile) return portable();
  const index = await keyIndexes(session, at, object.name, keys.map((k) => k.actual.name));
  if (!index.indexed) return portable();
  const expected = `(\n${expectedBody})`;
  const repeats = (from: string, alias: string, side: "expected" | "actual"): string =>
    `EXISTS (SELECT 1 FROM ${from} ${alias} GROUP BY ${keys.map((k) => sideValue(dialect, k, side, alias)).join(", ")} HAVING count(*) > 1)`;
  const [check] = await session.all(`SELECT ${[repeats(expected, "e", "expected"), ...(index.unique ? [] : [repeats(object.sql, "a", "actual")])].join(" OR ")} AS r`);
  if (Number(check?.r) !== 0) return portable();
  const on = keys.map((k) => `${raw("a", k, "actual")} <=> ${raw("e", k, "expected")}${k.actual.type === "string" ? ` AND ${sideValue(dialect, k, "actual", "a")} <=> ${sideValue(dialect, k, "expected", "e")}` : ""}`).join(" AND ");
  // Text keys: the column's collation finds candidates by the index ('a' = 'A' = 'a '), the binary one the partner. assay_p tells matched rows (NULL keys too).
  const joined = `${expected} e LEFT JOIN (SELECT 1 AS assay_p, t.* FROM ${object.sql} t) a ON ${on}`;
  const flags = (binder: Binder): string => columns.map((c, i) => `, (a.assay_p = 1 AND ${differs(dialect, c, sideValue(dialect, c, "expected", "e"), sideValue(dialect, c, "actual", "a"), binder.bind)}) AS m_c${i}`).join("");
  const [first, second] = [new Binder(dialect), new Binder(dialect)];
  const rows = await session.all(
    `SELECT count(*) AS expected_rows, (SELECT count(*) FROM ${object.sql}) AS actual_rows, count(CASE WHEN p IS NULL THEN 1 END) AS missing,
  count(CASE WHEN p = 1 AND (${columns.map((_, i) => `m_c${i}`).join(" OR ") || "false"}) THEN 1 END) AS mismatched${columns.map((_, i) => `, count(CASE WHEN m_c${i} THEN 1 END) AS mismatches_c${i}`).join("")}
FROM (SELECT a.assay_p AS p${flags(first)} FROM ${joined}) j`,
    first.values,
    // Text keys of two collations cannot meet by `=` (the portable plan compares both in the binary one).
  ).catch((error: Error & { code?: string }) => (error.code === "ER_CANT_AGGREGATE_2COLLATIONS" ? null : Promise.reject(error)));
  if (!rows) return portable();
  const n = (field: string): number => Number(rows[0]?.[field] ?? 0);
  const matched = n("expected_rows") - n("missing") - n("mismatched");
  const extra = n("actual_rows") - matched - n("mismatched");
  const summary: Row = { ...rows[0], matched, extra, duplicate_expected: 0, duplicate_actual: 0 };
  if (n("missing") + n("mismatched") + extra === 0) return [summary];
  // The first differing keys: each part in key order with LIMIT, then merged.
  const keyTerms = (alias: string, side: "expected" | "actual"): string => keys.map((k, i) => `${raw(alias, k, side)} AS k${i}`).join(", ");
  const orderBy = (term: (k: ComparedColumn, i: number) => string): string => keys.map((k, i) => dialect.orderTerm(term(k, i), k.actual.type)).join(", ");
  const [limit, parts] = [request.maxDiffRows + 1, [] as string[]];
  const shown = (c: ComparedColumn, side: "expected" | "actual", alias: string): string => (isCast(c) ? ownValue(dialect, c, side, alias) : sideValue(dialect, c, side, alias));
  if (n("missing") + n("mismatched") > 0) {
    const values = columns.map((c, i) => `, ${shown(c, "expected", "e")} AS e_c${i}, ${shown(c, "actual", "a")} AS a_c${i}`).join("");
    parts.push(`(SELECT * FROM (SELECT *, ${kindCase(columns.length)} AS kind FROM (SELECT ${keyTerms("e", "expected")}, 1 AS en, (a.assay_p IS NOT NULL) AS an${values}${flags(second)} FROM ${joined}) x) y WHERE kind IS NOT NULL ORDER BY ${orderBy((_, i) => `k${i}`)} LIMIT ${limit})`);
  }
  if (extra > 0) {
    const values = columns.map((c, i) => `, NULL AS e_c${i}, ${shown(c, "actual", "a")} AS a_c${i}`).join("");
    // A lookup per object row into the expected query; where its plan would scan instead (no index on its key), its keys are materialised first (MariaDB then indexes them).
    const lookup = (from: string): string => `NOT EXISTS (SELECT 1 FROM ${from} e WHERE ${on})`;
    const plans = await session.all(`EXPLAIN SELECT 1 FROM ${object.sql} a WHERE ${lookup(expected)}`);
    const absent = lookup(plans.some((p) => /DEPENDENT/.test(String(p.select_type)) && /^(ALL|index)$/.test(String(p.type))) ? `(SELECT DISTINCT ${keys.map((k) => `${sideValue(dialect, k, "expected", "e")} AS ${quoteIdent(k.expected.name)}`).join(", ")} FROM ${expected} e)` : expected);
    parts.push(`(SELECT ${keyTerms("a", "actual")}, 0 AS en, 1 AS an${values}${columns.map((_, i) => `, false AS m_c${i}`).join("")}, 'extra' AS kind FROM ${object.sql} a WHERE ${absent} ORDER BY ${orderBy((k) => raw("a", k, "actual"))} LIMIT ${limit})`);
  }
  const diff = await session.all(`SELECT * FROM (${parts.join("\nUNION ALL\n")}) d ORDER BY ${keyOrder(dialect, plan, "d")} LIMIT ${limit}`, second.values);
  return diff.map((row) => booleanFlags({ ...summary, ...row }));
};
