import { Binder, checksumPass, castTo, differs, isCast, keyOrder, quoteIdent, type ComparedColumn, type ComparePlanner } from "@assay/sql";
import { keyFacts } from "./introspector.js";
import { rowHash } from "./row-hash.js";

/** A native type without its modifier (aggregates return none); `character` alone would be char(1): bpchar keeps every length. */
function unmodified(nativeType: string): string {
  const name = nativeType.replace(/\(\d+(,\d+)?\)/, "");
  return name === "character" ? "bpchar" : name;
}

/** The one type a compared column has on both sides (and in the returned diff records). */
function commonType(column: ComparedColumn): string {
  if (column.meet.kind === "same" || column.meet.kind === "native") return unmodified(column.expected.nativeType);
  return { text: "text", double: "float8", integer: "int8", exact: "numeric", timestamp: "timestamp", timestamptz: "timestamptz" }[column.meet.kind];
}

/**
 * After the kit's checksum pass (identical sides end there, compare/fast-path.ts in @assay/sql),
 * one COMPARE statement: a FULL JOIN on the key classifies every key once (duplicate, missing,
 * extra, mismatch per column with tolerance, or matched), one aggregate gives every count and the
 * differing rows as one array of records, unnested with their types, ordered by key, LIMIT
 * maxDiffRows + 1. A one-time check, `irregular`, reads the keys alone (`GROUP BY key HAVING
 * count(*) > 1 OR key IS NULL`, stopping at the first hit) on the expected side, and on the
 * object unless a primary key or unique index covers its keys, and picks one of two bodies.
 * Regular keys join the raw rows in index order (a merge join, as the floor's). Irregular ones
 * carry, from a window over the key, how often their key occurs (n) and their number within it
 * (r), so duplicates show without grouping every column (grouping with min() measured twice as
 * slow). The expected query is read twice (as by the floor's duplicate check): one read (`AS
 * MATERIALIZED`) spilled 1M rows and lost the index order (bench/compare-postgres.mjs, 1M rows).
 */
export const postgresComparePlan: ComparePlanner = async (input) => {
  const { session, dialect, plan, expectedBody, object } = input;
  const facts = await keyFacts(session, object, plan.keys.map((k) => k.actual.name));
  const [settings] = await session.all("SELECT current_setting('server_version_num')::int >= 140000 AS xor");
  const binder = new Binder(dialect);
  const { keys, columns, request } = plan;
  const keyNames = keys.map((_, i) => `k${i}`);
  const colNames = columns.map((_, i) => `c${i}`);
  // Sides of one harmonised type but different native types (text and varchar) meet in the expected's type.
  const value = (alias: string, column: ComparedColumn, side: "expected" | "actual"): string => {
    const ref = `${alias}.${quoteIdent(column[side].name)}`;
    if (column.meet.kind === "same" && column.expected.nativeType !== column.actual.nativeType) return `${ref}::${commonType(column)}`;
    return castTo(dialect, ref, column.meet, column[side].type);
  };
  const sideKeys = (alias: string, side: "expected" | "actual"): string[] => keys.map((k) => value(alias, k, side));
  // The kit's checksum pass first (compare/fast-path.ts; bit_xor needs PostgreSQL 14): identical sides end there, without a join.
  const identical = settings?.xor === true && (await checksumPass(input, { rowHash, objectUnique: facts.unique, value: (c, side, alias) => value(alias, c, side) }));
  if (identical) return identical;
  const sampleWhere = (alias: string, side: "expected" | "actual"): string =>
    request.sample && dialect.sampleCondition
      ? ` WHERE ${dialect.sampleCondition(sideKeys(alias, side).map((k) => `${k}::text`), request.sample.seed, request.sample.percent, binder.bind)}`
      : "";
  // Each side's rows; where keys may repeat, a window counts (n) and numbers (r) them per key; a
  // unique side has n = r = 1 ("one") or, in the regular body, neither ("none").
  const side = (source: string, alias: string, which: "expected" | "actual", counts: "window" | "one" | "none"): string => {
    const k = sideKeys(alias, which);
    const cols = columns.flatMap((c, i) => [`${value(alias, c, which)} AS ${colNames[i]}`, ...(isCast(c) ? [`${alias}.${quoteIdent(c[which].name)} AS own_${colNames[i]}`] : [])]);
    const counted = { window: ["count(*) OVER w AS n", "row_number() OVER w AS r"], one: ["1::int8 AS n", "1::int8 AS r"], none: [] }[counts];
    const window = counts === "window" ? ` WINDOW w AS (PARTITION BY ${k.join(", ")})` : "";
    return `SELECT ${[...k.map((e, i) => `${e} AS ${keyNames[i]}`), ...counted, ...cols].join(", ")} FROM ${source} AS ${alias}${sampleWhere(alias, which)}${window}`;
  };
  // Defined first, so that no generated name (repeats, x, y...) can hide a table the query reads; inlined, not materialised.
  const expected = "assay_expected";
  // Whether some key occurs more than once on a side or is NULL, read from the keys alone.
  const irregularKey = (source: string, alias: string, which: "expected" | "actual"): string => {
    const k = sideKeys(alias, which);
    return `EXISTS (SELECT FROM ${source} AS ${alias}${sampleWhere(alias, which)} GROUP BY ${k.join(", ")} HAVING count(*) > 1 OR ${k.map((e) => `${e} IS NULL`).join(" OR ")})`;
  };
  const nullKey = `EXISTS (SELECT FROM ${object.sql} AS assay_a WHERE ${sideKeys("assay_a", "actual").map((e) => `${e} IS NULL`).join(" OR ")})`;
  const objectCheck = facts.unique ? (facts.notNull ? [] : [nullKey]) : [irregularKey(object.sql, "assay_a", "actual")];
  const irregular = [irregularKey(expected, "assay_e", "expected"), ...objectCheck].join(" OR ");
  // The differing rows travel as one array of records, typed again by unnest's column list.
  const diffFields: Array<[string, string]> = [
    ...keyNames.map((k, i): [string, string] => [k, commonType(keys[i]!)]),
    ["kind", "text"], ["en", "int8"], ["an", "int8"],
    ...columns.flatMap((c, i) => (["expected", "actual"] as const).map((s): [string, string] => [`${s[0]}_c${i}`, isCast(c) ? unmodified(c[s].nativeType) : commonType(c)])),
    ...colNames.map((c): [string, string] => [`m_${c}`, "boolean"]),
  ];
  /**
   * One body per case, gated by `irregular`. Regular (the usual case): a side's row is present
   * where its first key is not NULL; a constant marker from the nullable side of the join would be
   * a placeholder carried through every row (10% of the statement at 1M rows). Irregular: the
   * window's n marks presence, a key repeated on both sides gives n_e × n_a joined rows and
   * `first` marks one of them, so a key counts its rows once (r = 1 of the other side) and its
   * differences once. In both, one row comparison `d` per joined row gates the per-column checks
   * (with tolerance: exactly equal values are always within it), which run only where it finds a
   * difference, so a matching row costs half the floor's comparisons. `OFFSET 0` computes d once.
   */
  const body = (regular: boolean): string => {
    const [eOnce, aOnce] = regular ? ["ein", "ain"] : ["en = 1", "an = 1"];
    const flags = columns.map((c, i) => `(${eOnce} AND ${aOnce} AND ${differs(dialect, c, `x_${colNames[i]}`, `y_${colNames[i]}`, binder.bind)})`);
    const differing = `d AND ${eOnce} AND ${aOnce} AND (${columns.length ? flags.join(" OR ") : "false"})`;
    const duplicate = regular ? "" : "WHEN en > 1 OR an > 1 THEN 'duplicate' ";
    const record = diffFields.map(([f]) => {
      if (f === "kind") return `CASE ${duplicate}WHEN NOT ain THEN 'missing' WHEN NOT ein THEN 'extra' ELSE 'mismatch' END`;
      if (regular && (f === "en" || f === "an")) return `CASE WHEN ${f === "en" ? "ein" : "ain"} THEN 1::int8 END`;
      return f.startsWith("m_") ? flags[colNames.indexOf(f.slice(2))]! : f;
    });
    const presence = regular
      ? ["x.k0 IS NOT NULL AS ein", "y.k0 IS NOT NULL AS ain"]
      : ["x.n IS NOT NULL AS ein", "y.n IS NOT NULL AS ain", "x.n AS en", "y.n AS an", "x.r AS er", "y.r AS ar", "(coalesce(x.r, 1) = 1 AND coalesce(y.r, 1) = 1) AS first"];
    const j = [
      ...keyNames.map((k) => `COALESCE(x.${k}, y.${k}) AS ${k}`),
      ...presence,
      ...colNames.flatMap((c, i) => [`x.${c} AS x_${c}`, `y.${c} AS y_${c}`, ...(isCast(columns[i]!) ? [`x.own_${c} AS e_${c}`, `y.own_${c} AS a_${c}`] : [])]),
      `${columns.length ? `ROW(${colNames.map((c) => `x.${c}`).join(", ")}) IS DISTINCT FROM ROW(${colNames.map((c) => `y.${c}`).join(", ")})` : "false"} AS d`,
    ];
    const summary = [
      `count(*) FILTER (WHERE ein${regular ? "" : " AND coalesce(ar, 1) = 1"}) AS expected_rows`,
      `count(*) FILTER (WHERE ain${regular ? "" : " AND coalesce(er, 1) = 1"}) AS actual_rows`,
      `count(*) FILTER (WHERE ${eOnce} AND ${aOnce}) - count(*) FILTER (WHERE ${differing}) AS matched`,
      `count(*) FILTER (WHERE NOT ain AND ${eOnce}) AS missing`,
      `count(*) FILTER (WHERE NOT ein AND ${aOnce}) AS extra`,
      `count(*) FILTER (WHERE ${differing}) AS mismatched`,
      ...(["expected", "actual"] as const).map((s) => `${regular ? "0::int8" : `count(*) FILTER (WHERE ${s[0]}n > 1 AND first)`} AS duplicate_${s}`),
      ...colNames.map((c, i) => `count(*) FILTER (WHERE d AND ${flags[i]}) AS mismatches_${c}`),
      `array_agg(ROW(${record.join(", ")})) FILTER (WHERE (${regular ? "" : "en > 1 OR an > 1 OR "}NOT ein OR NOT ain OR (${differing}))${regular ? "" : " AND first"}) AS diff`,
    ];
    // Values of cast columns travel as their own (e_/a_), the rest as compared (x_/y_, renamed).
    const c = [...keyNames, "ein", "ain", "d", ...(regular ? [] : ["en", "an", "er", "ar", "first"]), ...colNames.flatMap((c, i) => [`x_${c}`, `y_${c}`, ...(isCast(columns[i]!) ? [`e_${c}`, `a_${c}`] : [`x_${c} AS e_${c}`, `y_${c} AS a_${c}`])])];
    // Regular keys are never NULL; otherwise NULL keys meet as one-element arrays, whose equality treats NULLs as equal.
    const join = keyNames.map((k) => (regular || facts.notNull ? `x.${k} = y.${k}` : `ARRAY[x.${k}] = ARRAY[y.${k}]`)).join(" AND ");
    return `WITH x AS (${side(expected, "assay_e", "expected", regular ? "none" : "window")}),\n` +
      `y AS (${side(object.sql, "assay_a", "actual", regular ? "none" : facts.unique ? "one" : "window")}),\n` +
      `j AS (SELECT ${j.join(", ")} FROM x FULL JOIN y ON ${join} OFFSET 0)\nSELECT ${summary.join(", ")} FROM (SELECT ${c.join(", ")} FROM j) AS c`;
  };
  const scalars = ["expected_rows", "actual_rows", "matched", "missing", "extra", "mismatched", "duplicate_expected", "duplicate_actual", ...colNames.map((c) => `mismatches_${c}`)];
  const text =
    `WITH assay_expected AS NOT MATERIALIZED (\n${expectedBody}),\nrepeats AS MATERIALIZED (SELECT ${irregular} AS found),\n` +
    `s AS (SELECT * FROM (${body(true)}) AS unique_keys WHERE NOT (SELECT found FROM repeats)\n` +
    `UNION ALL SELECT * FROM (${body(false)}) AS repeated_keys WHERE (SELECT found FROM repeats))\n` +
    `SELECT ${scalars.map((f) => `s.${f}`).join(", ")}, ${diffFields.map(([f]) => `d.${f}`).join(", ")}\n` +
    `FROM s LEFT JOIN LATERAL unnest(s.diff) AS d(${diffFields.map(([f, t]) => `${f} ${t}`).join(", ")}) ON true\n` +
    `ORDER BY ${keyOrder(dialect, plan, "d")} LIMIT ${binder.bind(request.maxDiffRows + 1)}::int8`;
  return session.all(text, binder.values);
};
