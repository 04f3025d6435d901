import { Binder, checksumPass, castTo, differs, isCast, keyOrder, kindCase, quoteIdent, summaryTerms, type ComparedColumn, type ComparePlanner } from "@assay/sql";
import { keyFacts } from "./introspector.js";

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
 * the one-pass COMPARE statement. A FULL JOIN on the key classifies every key once: duplicate
 * (more than once on a side, reported, not compared), missing, extra, mismatch (per column, with
 * tolerance on numbers) or matched. One aggregate gives every count and the differing rows as one
 * array of records, unnested with their types and ordered by key, LIMIT maxDiffRows + 1.
 * Repeated keys: the statement holds two bodies gated by one check, `repeats`, an aggregate over
 * the keys alone (`GROUP BY key HAVING count(*) > 1`, stopping at the first repeated key) on the
 * expected side, and on the object unless a primary key or unique index makes it unique. The
 * gate is a one-time filter, so only one body runs. Without repeated keys (the usual case) the
 * FULL JOIN runs on the raw rows; otherwise each side's rows carry, from a window over the key,
 * how often their key occurs (n) and their number within it (r), so duplicates show without
 * aggregating every column (grouping by key with min() per column measured twice as slow).
 * Trade-off, measured on bench/compare-postgres.mjs (1M rows, PostgreSQL 15, work_mem 4MB): the
 * window sorts or buffers every expected row (its tuplestore alone cost ~400 ms), the check reads
 * only the keys, and both sides stay in index order for a merge join: assay/floor went from 1.54
 * to ~1.3. The price is that the expected query runs twice (as in the floor's own duplicate
 * check): with no usable order (`id + 0`) ~2.3 s against ~1.9 s for the window alone; evaluated
 * once (`AS MATERIALIZED`) it spilled 1M rows and lost the index order: ~2.75 s. `OFFSET 0` keeps
 * j and c as subqueries: each flag and the kind computed once per key, not in every aggregate.
 * NULL keys: a plain equality join when the object's keys are NOT NULL (an expected NULL key
 * then has no partner either way); otherwise the join compares one-element arrays, whose
 * equality treats NULLs as equal and which hash-join. GROUP BY and the window both treat NULL
 * keys as one key.
 */
export const postgresComparePlan: ComparePlanner = async (input) => {
  const { session, dialect, plan, expectedBody, object } = input;
  const facts = await keyFacts(session, object, plan.keys.map((k) => k.actual.name));
  // No LLVM inlining/optimisation (on above a cost the plan reaches at 1M rows): no gain measured, 2.5 s of 5.6 s on a loaded machine.
  const [settings] = await session.all("SELECT set_config('jit_inline_above_cost', '-1', true), set_config('jit_optimize_above_cost', '-1', true), current_setting('server_version_num')::int >= 140000 AS xor");
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
  const rowHash = (v: string[]): string => `hashint8extended(hash_record_extended(ROW(${v.join(", ")}), 0), 0)`;
  const identical = settings?.xor === true && (await checksumPass(input, { rowHash, objectUnique: facts.unique, value: (c, side, alias) => value(alias, c, side) }));
  if (identical) return identical;
  const sampleWhere = (alias: string, side: "expected" | "actual"): string =>
    request.sample && dialect.sampleCondition
      ? ` WHERE ${dialect.sampleCondition(sideKeys(alias, side).map((k) => `${k}::text`), request.sample.seed, request.sample.percent, binder.bind)}`
      : "";
  // Each side keeps its rows; a window over the key counts them (n) and numbers them (r), so
  // duplicates show without aggregating every column. A side known to be unique skips it.
  const side = (source: string, alias: string, which: "expected" | "actual", unique: boolean): string => {
    const k = sideKeys(alias, which);
    const cols = columns.flatMap((c, i) => [`${value(alias, c, which)} AS ${colNames[i]}`, ...(isCast(c) ? [`${alias}.${quoteIdent(c[which].name)} AS own_${colNames[i]}`] : [])]);
    const counted = unique ? ["1::int8 AS n", "1::int8 AS r"] : ["count(*) OVER w AS n", "row_number() OVER w AS r"];
    const window = unique ? "" : ` WINDOW w AS (PARTITION BY ${k.join(", ")})`;
    return `SELECT ${[...k.map((e, i) => `${e} AS ${keyNames[i]}`), ...counted, ...cols].join(", ")} FROM ${source} AS ${alias}${sampleWhere(alias, which)}${window}`;
  };
  // Defined first, so that no generated name (repeats, x, y...) can hide a table the query reads; inlined, not materialised.
  const expected = "assay_expected";
  // Whether some key occurs more than once on a side, read from the keys alone.
  const repeatedKey = (source: string, alias: string, which: "expected" | "actual"): string =>
    `EXISTS (SELECT FROM ${source} AS ${alias}${sampleWhere(alias, which)} GROUP BY ${sideKeys(alias, which).join(", ")} HAVING count(*) > 1)`;
  const repeated = [repeatedKey(expected, "assay_e", "expected"), ...(facts.unique ? [] : [repeatedKey(object.sql, "assay_a", "actual")])].join(" OR ");
  const join = keyNames.map((k) => (facts.notNull ? `x.${k} = y.${k}` : `ARRAY[x.${k}] = ARRAY[y.${k}]`)).join(" AND ");
  const j = [
    ...keyNames.map((k) => `COALESCE(x.${k}, y.${k}) AS ${k}`),
    "x.n AS en",
    "y.n AS an",
    "x.r AS er",
    "y.r AS ar",
    // A key repeated on both sides gives n_e × n_a joined rows; `first` marks one of them.
    "(coalesce(x.r, 1) = 1 AND coalesce(y.r, 1) = 1) AS first",
    ...colNames.flatMap((c, i) => (isCast(columns[i]!) ? [`x.own_${c} AS e_${c}`, `y.own_${c} AS a_${c}`] : [`x.${c} AS e_${c}`, `y.${c} AS a_${c}`])),
    ...columns.map((c, i) => `(x.n = 1 AND y.n = 1 AND ${differs(dialect, c, `x.${colNames[i]}`, `y.${colNames[i]}`, binder.bind)}) AS m_${colNames[i]}`),
  ].join(", ");
  // The differing rows travel as one array of records, typed again by unnest's column list.
  const diffFields: Array<[string, string]> = [
    ...keyNames.map((k, i): [string, string] => [k, commonType(keys[i]!)]),
    ["kind", "text"],
    ["en", "int8"],
    ["an", "int8"],
    ...colNames.flatMap((c, i): Array<[string, string]> => {
      const column = columns[i]!;
      return isCast(column) ? [[`e_${c}`, unmodified(column.expected.nativeType)], [`a_${c}`, unmodified(column.actual.nativeType)]] : [[`e_${c}`, commonType(column)], [`a_${c}`, commonType(column)]];
    }),
    ...colNames.map((c): [string, string] => [`m_${c}`, "boolean"]),
  ];
  // Joined rows: a key repeated on a side counts its rows once (r = 1 of the other side), its differences once (first).
  const summary = [
    "count(*) FILTER (WHERE en IS NOT NULL AND coalesce(ar, 1) = 1) AS expected_rows",
    "count(*) FILTER (WHERE an IS NOT NULL AND coalesce(er, 1) = 1) AS actual_rows",
    ...summaryTerms(columns.length).slice(2, 6),
    "count(*) FILTER (WHERE en > 1 AND first) AS duplicate_expected",
    "count(*) FILTER (WHERE an > 1 AND first) AS duplicate_actual",
    ...summaryTerms(columns.length).slice(8),
    `array_agg(ROW(${diffFields.map(([f]) => f).join(", ")})) FILTER (WHERE kind IS NOT NULL AND first) AS diff`,
  ].join(", ");
  const scalars = ["expected_rows", "actual_rows", "matched", "missing", "extra", "mismatched", "duplicate_expected", "duplicate_actual", ...colNames.map((c) => `mismatches_${c}`)];
  // keysUnique: no key repeats on either side, so no window is needed (n = r = 1).
  const body = (keysUnique: boolean): string =>
    `WITH x AS (${side(expected, "assay_e", "expected", keysUnique)}),\ny AS (${side(object.sql, "assay_a", "actual", keysUnique || facts.unique)}),\n` +
    `j AS (SELECT ${j} FROM x FULL JOIN y ON ${join} OFFSET 0),\nc AS (SELECT j.*, ${kindCase(columns.length)} AS kind FROM j OFFSET 0)\nSELECT ${summary} FROM c`;
  const text =
    `WITH assay_expected AS NOT MATERIALIZED (\n${expectedBody}),\nrepeats AS MATERIALIZED (SELECT ${repeated} AS found),\n` +
    `s AS (SELECT * FROM (${body(true)}) AS unique_keys WHERE NOT (SELECT found FROM repeats)\n` +
    `UNION ALL SELECT * FROM (${body(false)}) AS repeated_keys WHERE (SELECT found FROM repeats))\n` +
    `SELECT ${scalars.map((f) => `s.${f}`).join(", ")}, ${diffFields.map(([f]) => `d.${f}`).join(", ")}\n` +
    `FROM s LEFT JOIN LATERAL unnest(s.diff) AS d(${diffFields.map(([f, t]) => `${f} ${t}`).join(", ")}) ON true\n` +
    `ORDER BY ${keyOrder(dialect, plan, "d")} LIMIT ${binder.bind(request.maxDiffRows + 1)}::int8`;
  return session.all(text, binder.values);
};
