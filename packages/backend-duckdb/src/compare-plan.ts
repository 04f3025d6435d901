import { allMatched, Binder, castTo, createIntrospector, differs, isCast, isNestedType, keyOrder, kindCase, planId, quoteIdent, sideValue, type ComparedColumn, type ComparePlanner, type PlanInput } from "@assay/sql";

/** At most 2^18 key-hash buckets (about 32 rows each): at 10M rows with 0.3% of keys differing, 1 row in 9 is in a differing bucket. */
const BUCKET_BITS = 18;
type Side = "expected" | "actual";

/**
 * DuckDB's tuned COMPARE: checksums, then hash, then verify.
 * 1. Checksum pass, the only pass over every row: rows go to 2^18 buckets by a hash of their key;
 *    per bucket a row count and the xor of a remixed 64-bit hash of key and compared values (so
 *    swapped values do not cancel; a quarter faster than a HUGEINT sum). Equal counts and
 *    checksums match the bucket whole, unless the object repeats a key there (keys alone, free
 *    under a primary key); then the expected side repeats none either, short of a collision.
 *    Identical tables end here, without joining a key.
 * 2. Both sides' rows of the differing buckets go to temp tables (one more run of the expected
 *    query), so each bucket is judged from one run and counts add up for random() queries.
 * 3. Within those buckets: (key, hash) grouped by key; keys once per side with equal hashes
 *    match; the rest have their values fetched (semi-join) and compared exactly, with tolerance.
 */
export const duckDbComparePlan: ComparePlanner = async (input: PlanInput) => {
  const { session, dialect, plan, expectedBody, object } = input;
  const { keys, columns, request } = plan;
  const id = planId();
  const temp = (what: string): string => `"temp"."main".${quoteIdent(`__assay_${what}_${id}`)}`;
  const [buckets, kept, actual, groups, details] = ["buckets", "expected", "actual", "groups", "details"].map(temp) as [string, string, string, string, string];
  const k = (i: number): string => `k${i}`;
  const keyList = keys.map((_, i) => k(i)).join(", ");
  const keysEqual = (l: string, r: string): string => keys.map((_, i) => `${l}.${k(i)} IS NOT DISTINCT FROM ${r}.${k(i)}`).join(" AND ");
  const expectedCte = `__assay_expected AS NOT MATERIALIZED (\n${expectedBody})`;
  const sideKeys = (side: Side, alias: string): string => keys.map((key, i) => `${sideValue(dialect, key, side, alias)} AS ${k(i)}`).join(", ");
  // Fewer buckets for a smaller table (its estimated size): a bucket of a few rows costs as much as a key.
  const size = await session.all(`SELECT estimated_size AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2`, [input.at.schema, object.name]);
  const bits = Math.min(BUCKET_BITS, Math.max(10, Math.ceil(Math.log2(Math.max(1, Number(size[0]?.n ?? 2 ** 23) / 32)))));
  const bucketOf = (terms: string[]): string => `(hash(${terms.join(", ")}) >> ${64 - bits})::UINTEGER`;
  const rawBucket = (side: Side): string => bucketOf(keys.map((key) => sideValue(dialect, key, side, "t")));
  // Exact numbers too wide for one DECIMAL hash as their text without trailing zeros (1.50 = 1.5000000000).
  // hash() gives a NULL list, [] and [NULL] (a NULL struct and one of NULLs, a NULL map and {}) one value: their text tells them apart.
  const hashed = (c: ComparedColumn, side: Side): string => {
    const value = sideValue(dialect, c, side, "t");
    if (isNestedType(c.expected.type) || isNestedType(c.actual.type)) return `${value}, CAST(${value} AS VARCHAR)`;
    if (c.meet.kind !== "native") return value;
    const v = `CAST(${value} AS VARCHAR)`;
    return `CASE WHEN contains(${v}, '.') THEN rtrim(rtrim(${v}, '0'), '.') ELSE ${v} END`;
  };
  const hashOf = (side: Side): string => (columns.length === 0 ? "0::UBIGINT" : `hash(${columns.map((c) => hashed(c, side)).join(", ")})`);
  const { sample } = request;
  const sampled = (binder: Binder): string => (sample && dialect.sampleCondition ? `WHERE ${dialect.sampleCondition(keys.map((_, i) => castTo(dialect, k(i), { kind: "text" })), sample.seed, sample.percent, binder.bind)}` : "");
  const sideSelect = (side: Side, from: string, binder: Binder): string => `SELECT * FROM (SELECT ${sideKeys(side, "t")}, ${hashOf(side)} AS __h FROM ${from} t) ${sampled(binder)}`;
  const primary = await createIntrospector(dialect).primaryKeys(session, input.at, object);
  const unique = primary.length > 0 && primary.every((p) => keys.some((key) => key.actual.name === p));
  const first = new Binder(dialect);
  const perBucket = (side: Side, from: string): string =>
    `SELECT ${bucketOf(keys.map((_, i) => k(i)))} AS b, count(*) AS n, bit_xor(hash(hash(${keyList}, __h))) AS s FROM (${sideSelect(side, from, first)}) GROUP BY b`;
  const repeated = unique ? "" : `,\n__assay_repeated AS (SELECT DISTINCT ${bucketOf(keys.map((_, i) => k(i)))} AS b FROM (${sideSelect("actual", object.sql, first)}) GROUP BY ${keyList} HAVING count(*) > 1)`;
  await session.all(
    `CREATE TEMP TABLE ${buckets} AS
WITH ${expectedCte},
__assay_e AS (${perBucket("expected", "__assay_expected")}),
__assay_a AS (${perBucket("actual", object.sql)})${repeated}
SELECT b, coalesce(e.n, 0) AS en, coalesce(a.n, 0) AS an,
  (e.n IS NOT DISTINCT FROM a.n AND e.s IS NOT DISTINCT FROM a.s${unique ? "" : " AND b NOT IN (SELECT b FROM __assay_repeated)"}) AS __same
FROM __assay_e e FULL JOIN __assay_a a USING (b)`,
    first.values,
  );
  const created = [buckets];
  try {
    const totals = (await session.all(`SELECT sum(en) AS en, sum(an) AS an, count(*) FILTER (WHERE NOT __same) AS differing FROM ${buckets}`))[0];
    if (Number(totals?.differing ?? 0) === 0) return allMatched(columns.length, totals?.en ?? 0, totals?.an ?? 0);
    const differing = `(SELECT b FROM ${buckets} WHERE NOT __same)`;
    for (const [table, side, from] of [[kept, "expected", "__assay_expected"], [actual, "actual", object.sql]] as const) {
      const names = [...new Set([...keys, ...columns].map((c) => `t.${quoteIdent(c[side].name)}`))].join(", ");
      created.push(table);
      await session.all(`CREATE TEMP TABLE ${table} AS WITH ${expectedCte} SELECT ${names} FROM ${from} t WHERE ${rawBucket(side)} IN ${differing}`);
    }
    const second = new Binder(dialect);
    created.push(groups);
    await session.all(
      `CREATE TEMP TABLE ${groups} AS
WITH __assay_union AS (
  SELECT *, true AS __s FROM (${sideSelect("expected", kept, second)})
  UNION ALL
  SELECT *, false AS __s FROM (${sideSelect("actual", actual, second)})
),
__assay_keys AS (
  SELECT ${keyList}, count(*) FILTER (WHERE __s) AS en, count(*) FILTER (WHERE NOT __s) AS an,
    coalesce(count(*) = 2 AND count(*) FILTER (WHERE __s) = 1
      AND any_value(__h) FILTER (WHERE __s) = any_value(__h) FILTER (WHERE NOT __s), false) AS __matched
  FROM __assay_union GROUP BY ${keyList}
)
SELECT __matched, ${keys.map((_, i) => `CASE WHEN __matched THEN NULL ELSE ${k(i)} END AS ${k(i)}`).join(", ")},
  sum(en) AS en, sum(an) AS an, count(*) AS __keys
FROM __assay_keys GROUP BY ALL`,
      second.values,
    );
    const third = new Binder(dialect);
    // Cast columns also bring each side's own value (o<i>), which the diff shows.
    const own = (c: ComparedColumn, i: number, side: Side): string => (isCast(c) ? `, t.${quoteIdent(c[side].name)} AS o${i}` : "");
    const shown = (alias: string, c: ComparedColumn, i: number): string => `${alias}.${isCast(c) ? "o" : "c"}${i}`;
    const sideRows = (side: Side, from: string, count: "en" | "an"): string => `(
    SELECT s.* FROM (SELECT ${sideKeys(side, "t")}${columns.map((c, i) => `, ${sideValue(dialect, c, side, "t")} AS c${i}${own(c, i, side)}`).join("")} FROM ${from} t) s
    SEMI JOIN (SELECT ${keyList} FROM ${groups} WHERE NOT __matched AND ${count} >= 1) g ON ${keysEqual("s", "g")}
    QUALIFY row_number() OVER (PARTITION BY ${keys.map((_, i) => `s.${k(i)}`).join(", ")}) = 1
  )`;
    created.push(details);
    await session.all(
      `CREATE TEMP TABLE ${details} AS
SELECT ${keys.map((_, i) => `g.${k(i)}`).join(", ")}, g.en, g.an${columns.map((c, i) => `, ${shown("e", c, i)} AS e_c${i}, ${shown("a", c, i)} AS a_c${i}`).join("")}${columns
        .map((c, i) => `, (g.en = 1 AND g.an = 1 AND ${differs(dialect, c, `e.c${i}`, `a.c${i}`, third.bind)}) AS m_c${i}`)
        .join("")}
FROM (SELECT * FROM ${groups} WHERE NOT __matched) g
LEFT JOIN ${sideRows("expected", kept, "en")} e ON ${keysEqual("g", "e")}
LEFT JOIN ${sideRows("actual", actual, "an")} a ON ${keysEqual("g", "a")}`,
      third.values,
    );
    const flags = columns.map((_, i) => `, count(*) FILTER (WHERE m_c${i}) AS mismatches_c${i}`).join("");
    const same = (field: "en" | "an"): string => `(SELECT coalesce(sum(${field}), 0) FROM ${buckets} WHERE __same)`;
    return await session.all(`WITH __assay_kinds AS (SELECT *, ${kindCase(columns.length)} AS kind FROM ${details}),
__assay_summary AS (SELECT
  ${same("en")} + (SELECT coalesce(sum(en), 0) FROM ${groups}) AS expected_rows,
  ${same("an")} + (SELECT coalesce(sum(an), 0) FROM ${groups}) AS actual_rows,
  ${same("en")} + (SELECT coalesce(sum(__keys), 0) FROM ${groups} WHERE __matched) + count(*) FILTER (WHERE kind IS NULL) AS matched,
  count(*) FILTER (WHERE kind = 'missing') AS missing, count(*) FILTER (WHERE kind = 'extra') AS extra,
  count(*) FILTER (WHERE kind = 'mismatch') AS mismatched,
  count(*) FILTER (WHERE en > 1) AS duplicate_expected, count(*) FILTER (WHERE an > 1) AS duplicate_actual${flags}
  FROM __assay_kinds),
__assay_diff AS (SELECT * EXCLUDE (kind), kind FROM __assay_kinds d WHERE kind IS NOT NULL ORDER BY ${keyOrder(dialect, plan, "d")} LIMIT ${request.maxDiffRows + 1})
SELECT s.*, d.* FROM __assay_summary s LEFT JOIN __assay_diff d ON true ORDER BY ${keyOrder(dialect, plan, "d")}`);
  } finally {
    for (const table of created.reverse()) await session.all(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
};
