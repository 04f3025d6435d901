import type { Row } from "@assay/ports";
import { Binder, differs, keyOrder, kindCase, portablePlan, quoteIdent, sideValue, type ComparedColumn, type ComparePlanner, type Session, type SessionTarget } from "@assay/sql";

/** Whether an index of the table leads with exactly the key columns (lookups), and whether a unique one lies within them. */
async function keyIndexes(session: Session, at: SessionTarget, table: string, keys: string[]): Promise<{ indexed: boolean; unique: boolean }> {
  const rows = await session.all("SELECT index_name AS i, non_unique AS u, column_name AS c FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? ORDER BY index_name, seq_in_index", [at.database, table]);
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  const indexes = new Map<string, { unique: boolean; columns: string[] }>();
  for (const r of rows) {
    const index = indexes.get(String(r.i)) ?? { unique: Number(r.u) === 0, columns: [] };
    indexes.set(String(r.i), index);
    index.columns.push(String(r.c).toLowerCase());
  }
  const all = [...indexes.values()];
  return {
    indexed: all.some((x) => x.columns.length >= wanted.size && x.columns.slice(0, wanted.size).every((c) => wanted.has(c))),
    unique: all.some((x) => x.unique && x.columns.every((c) => wanted.has(c))),
  };
}

/** Flags come back as 0/1; the result shape wants booleans. */
function booleanFlags(row: Row): Row {
  for (const key of Object.keys(row)) if (/^m_c\d+$/.test(key) && row[key] !== null) row[key] = Number(row[key]) !== 0;
  return row;
}

/**
 * MariaDB's tuned COMPARE, a join on the object's key index. The portable plan groups the union
 * of both sides by key, which MariaDB does by writing 2M wide rows to an on-disk temporary table
 * (bench/compare-mariadb.mjs: 10.7 × the floor at 1M rows). Without FULL JOIN, and without
 * temporary tables (refused in a READ ONLY transaction), it is: a check that no key repeats
 * (expected side; the object too unless a unique index covers the key); one aggregate over the
 * expected rows LEFT JOINed to the object by index lookups, giving every count but the extra
 * rows, which are the object's row count less those matched; then, only where something
 * differs, the first differing keys with their values: the LEFT JOIN filtered to them and the
 * anti-join of the object to the expected query, each in key order with LIMIT. Plain equality
 * on the raw key columns is what uses the index, so text keys (compared in the binary collation)
 * and casted keys, repeated keys, views, sampling or an object without such an index take the
 * portable plan, which is correct for all of them.
 */
export const mariaDbComparePlan: ComparePlanner = async (input) => {
  const { session, dialect, plan, expectedBody, object, at } = input;
  const { keys, columns, request } = plan;
  const raw = (alias: string, k: ComparedColumn, side: "expected" | "actual"): string => `${alias}.${quoteIdent(k[side].name)}`;
  const portable = async (): Promise<Row[]> => (await portablePlan(input)).map(booleanFlags);
  const plainKeys = keys.every((k) => k.meet.kind === "same" && k.expected.type !== "string" && k.actual.type !== "string");
  if (!plainKeys || request.sample || object.kind !== "table") return portable();
  const index = await keyIndexes(session, at, object.name, keys.map((k) => k.actual.name));
  if (!index.indexed) return portable();
  const expected = `(\n${expectedBody})`;
  const repeats = (from: string, alias: string, side: "expected" | "actual"): string =>
    `EXISTS (SELECT 1 FROM ${from} ${alias} GROUP BY ${keys.map((k) => raw(alias, k, side)).join(", ")} HAVING count(*) > 1)`;
  const [check] = await session.all(`SELECT ${[repeats(expected, "e", "expected"), ...(index.unique ? [] : [repeats(object.sql, "a", "actual")])].join(" OR ")} AS r`);
  if (Number(check?.r) !== 0) return portable();

  const on = keys.map((k) => `${raw("a", k, "actual")} <=> ${raw("e", k, "expected")}`).join(" AND ");
  // A constant of the object's rows tells a matched row from an unmatched one, NULL keys included.
  const joined = `${expected} e LEFT JOIN (SELECT 1 AS assay_p, t.* FROM ${object.sql} t) a ON ${on}`;
  const flags = (binder: Binder): string => columns.map((c, i) => `, (a.assay_p = 1 AND ${differs(dialect, c, sideValue(dialect, c, "expected", "e"), sideValue(dialect, c, "actual", "a"), binder.bind)}) AS m_c${i}`).join("");
  const mismatch = columns.length > 0 ? columns.map((_, i) => `m_c${i}`).join(" OR ") : "false";
  const first = new Binder(dialect);
  const [head] = await session.all(
    `SELECT count(*) AS expected_rows, (SELECT count(*) FROM ${object.sql}) AS actual_rows, count(CASE WHEN p IS NULL THEN 1 END) AS missing,
  count(CASE WHEN p = 1 AND (${mismatch}) THEN 1 END) AS mismatched${columns.map((_, i) => `, count(CASE WHEN m_c${i} THEN 1 END) AS mismatches_c${i}`).join("")}
FROM (SELECT a.assay_p AS p${flags(first)} FROM ${joined}) j`,
    first.values,
  );
  const n = (field: string): number => Number(head?.[field] ?? 0);
  const matched = n("expected_rows") - n("missing") - n("mismatched");
  const extra = n("actual_rows") - matched - n("mismatched");
  const summary: Row = { ...head, matched, extra, duplicate_expected: 0, duplicate_actual: 0 };
  if (n("missing") + n("mismatched") + extra === 0) return [summary];

  // The first differing keys: each part in key order with LIMIT, then merged.
  const limit = request.maxDiffRows + 1;
  const keyTerms = (alias: string, side: "expected" | "actual"): string => keys.map((k, i) => `${raw(alias, k, side)} AS k${i}`).join(", ");
  const orderBy = keys.map((_, i) => `k${i}`).join(", ");
  const parts: string[] = [];
  const second = new Binder(dialect);
  if (n("missing") + n("mismatched") > 0) {
    const values = columns.map((c, i) => `, ${sideValue(dialect, c, "expected", "e")} AS e_c${i}, ${sideValue(dialect, c, "actual", "a")} AS a_c${i}`).join("");
    parts.push(`(SELECT * FROM (SELECT *, ${kindCase(columns.length)} AS kind FROM (SELECT ${keyTerms("e", "expected")}, 1 AS en, (a.assay_p IS NOT NULL) AS an${values}${flags(second)} FROM ${joined}) x) y WHERE kind IS NOT NULL ORDER BY ${orderBy} LIMIT ${limit})`);
  }
  if (extra > 0) {
    const values = columns.map((c, i) => `, NULL AS e_c${i}, ${sideValue(dialect, c, "actual", "a")} AS a_c${i}`).join("");
    // A lookup per object row into the expected query; where its plan would scan instead (no index on its key), its keys are materialised first (MariaDB then indexes them).
    const lookup = (from: string): string => `NOT EXISTS (SELECT 1 FROM ${from} e WHERE ${on})`;
    const plans = await session.all(`EXPLAIN SELECT 1 FROM ${object.sql} a WHERE ${lookup(expected)}`);
    const scans = plans.some((p) => /DEPENDENT/.test(String(p.select_type)) && /^(ALL|index)$/.test(String(p.type)));
    const absent = lookup(scans ? `(SELECT DISTINCT ${keys.map((k) => raw("e", k, "expected")).join(", ")} FROM ${expected} e)` : expected);
    parts.push(`(SELECT ${keyTerms("a", "actual")}, 0 AS en, 1 AS an${values}${columns.map((_, i) => `, false AS m_c${i}`).join("")}, 'extra' AS kind FROM ${object.sql} a WHERE ${absent} ORDER BY ${orderBy} LIMIT ${limit})`);
  }
  const diff = await session.all(`SELECT * FROM (${parts.join("\nUNION ALL\n")}) d ORDER BY ${keyOrder(dialect, plan, "d")} LIMIT ${limit}`, second.values);
  return diff.map((row) => booleanFlags({ ...summary, ...row }));
};
