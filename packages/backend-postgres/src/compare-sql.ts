import { baseType, isNumericType } from "./harmonise.js";
import { quoteIdent, subquery } from "./sql.js";

/** A column as both sides of a COMPARE see it. */
export interface ComparedColumn {
  name: string;
  expectedType: { raw: string; type: string };
  actualType: { raw: string; type: string };
  tolerance: number;
}

export interface ComparePlan {
  expectedSql: string;
  /** `"schema"."table"`. */
  actual: string;
  keys: ComparedColumn[];
  columns: ComparedColumn[];
  /** The object's keys are unique and NOT NULL (a primary key or unique index): no grouping needed. */
  actualUnique: boolean;
  /** Every key column of the object is NOT NULL: a plain equality join is NULL-safe. */
  actualKeysNotNull: boolean;
  sample?: { threshold: number; seed: number } | undefined;
  maxDiffRows: number;
}

/** How a column's values meet: as they are, both as numeric, or both as text (types differ). */
function form(column: ComparedColumn): "same" | "numeric" | "text" {
  const e = column.expectedType;
  const a = column.actualType;
  if (isNumericType(e.type) && isNumericType(a.type)) return e.raw === a.raw ? "same" : "numeric";
  if (e.raw === a.raw || baseType(e.type) === baseType(a.type)) return "same";
  return "text";
}

/** Types with an equality operator; others (json, geometric types, ...) are compared as text. */
const COMPARABLE_TYPES = new Set(["int", "bigint", "smallint", "decimal", "float", "double", "string", "boolean", "date", "time", "timestamp", "timestamptz", "interval", "uuid", "binary"]);

function asText(column: ComparedColumn): boolean {
  return form(column) === "text" || !COMPARABLE_TYPES.has(baseType(column.expectedType.type));
}

/** The one type a compared column has on both sides (and in the returned diff records). */
function commonType(column: ComparedColumn): string {
  const f = form(column);
  if (asText(column) || f === "text") return "text";
  if (f === "numeric") return "numeric";
  return sqlTypeName(column.expectedType.raw);
}

/** A side's value, cast to the common type when the two sides' raw types differ. */
function valueExpr(ref: string, column: ComparedColumn): string {
  if (asText(column)) return `${ref}::text`;
  return column.expectedType.raw === column.actualType.raw ? ref : `${ref}::${commonType(column)}`;
}

/** Key expression on one side, cast so that both sides join on the same type. */
function keyExpr(ref: string, key: ComparedColumn): string {
  return valueExpr(ref, key);
}

/**
 * The one-pass COMPARE statement. A FULL JOIN on the key classifies every key once: duplicate
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
 * check): for an expected result with no usable order (`id + 0`) the check sorts the keys and
 * the join hashes in batches, ~2.3 s against ~1.9 s for the window alone. Evaluating it once,
 * `WITH ... AS MATERIALIZED`, spilled 1M rows and lost the index order: ~2.75 s, slower still.
 * `OFFSET 0` keeps j and c as subqueries, so that each flag and the kind are computed once per
 * key rather than copied into every aggregate that reads them.
 * NULL keys: a plain equality join when the object's keys are NOT NULL (an expected NULL key
 * then has no partner either way); otherwise the join compares one-element arrays, whose
 * equality treats NULLs as equal and which hash-join. GROUP BY and the window both treat NULL
 * keys as one key.
 */
export function compareSql(plan: ComparePlan): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown, cast: string): string => {
    values.push(value);
    return `$${values.length}::${cast}`;
  };
  const keyNames = plan.keys.map((_, i) => `k${i}`);
  const colNames = plan.columns.map((_, i) => `c${i}`);
  const sampleWhere = (alias: string): string => {
    if (!plan.sample) return "";
    const text = plan.keys.map((k) => `${keyExpr(`${alias}.${quoteIdent(k.name)}`, k)}::text`).join(", ");
    return ` WHERE abs(hashtextextended(concat_ws(chr(31), ${text}), ${param(plan.sample.seed, "int8")}) % 1000000) < ${param(plan.sample.threshold, "int8")}`;
  };
  // Each side keeps its rows; a window over the key counts them (n) and numbers them (r), so
  // duplicates show without aggregating every column. A side known to be unique skips it.
  const side = (source: string, alias: string, unique: boolean): string => {
    const keys = plan.keys.map((k) => keyExpr(`${alias}.${quoteIdent(k.name)}`, k));
    const cols = plan.columns.map((c, i) => `${valueExpr(`${alias}.${quoteIdent(c.name)}`, c)} AS ${colNames[i]}`);
    const counted = unique ? ["1::int8 AS n", "1::int8 AS r"] : ["count(*) OVER w AS n", "row_number() OVER w AS r"];
    const window = unique ? "" : ` WINDOW w AS (PARTITION BY ${keys.join(", ")})`;
    return `SELECT ${[...keys.map((k, i) => `${k} AS ${keyNames[i]}`), ...counted, ...cols].join(", ")} FROM ${source} AS ${alias}${sampleWhere(alias)}${window}`;
  };
  const expected = subquery(plan.expectedSql);
  // Whether some key occurs more than once on a side, read from the keys alone.
  const repeatedKey = (source: string, alias: string): string => {
    const keys = plan.keys.map((k) => keyExpr(`${alias}.${quoteIdent(k.name)}`, k));
    return `EXISTS (SELECT FROM ${source} AS ${alias}${sampleWhere(alias)} GROUP BY ${keys.join(", ")} HAVING count(*) > 1)`;
  };
  const repeated = [repeatedKey(expected, "assay_e"), ...(plan.actualUnique ? [] : [repeatedKey(plan.actual, "assay_a")])].join(" OR ");
  const join = keyNames
    .map((k) => (plan.actualKeysNotNull ? `x.${k} = y.${k}` : `ARRAY[x.${k}] = ARRAY[y.${k}]`))
    .join(" AND ");
  const differs = plan.columns.map((c, i) => {
    const e = `x.${colNames[i]}`;
    const a = `y.${colNames[i]}`;
    const numeric = isNumericType(c.expectedType.type) && isNumericType(c.actualType.type) && form(c) !== "text";
    if (c.tolerance > 0 && numeric) {
      const float = ["float", "double"].includes(baseType(c.expectedType.type)) || ["float", "double"].includes(baseType(c.actualType.type));
      return `CASE WHEN ${e} IS NULL OR ${a} IS NULL THEN (${e} IS NULL) <> (${a} IS NULL) ELSE abs(${e} - ${a}) > ${param(c.tolerance, float ? "float8" : "numeric")} END`;
    }
    return `${e} IS DISTINCT FROM ${a}`;
  });
  const j = [
    ...keyNames.map((k) => `COALESCE(x.${k}, y.${k}) AS ${k}`),
    "x.n AS en",
    "y.n AS an",
    "x.r AS er",
    "y.r AS ar",
    // A key repeated on both sides gives n_e × n_a joined rows; `first` marks one of them.
    "(coalesce(x.r, 1) = 1 AND coalesce(y.r, 1) = 1) AS first",
    ...colNames.flatMap((c) => [`x.${c} AS e_${c}`, `y.${c} AS a_${c}`]),
    ...differs.map((d, i) => `(x.n = 1 AND y.n = 1 AND ${d}) AS m_${colNames[i]}`),
  ].join(", ");
  const mismatch = colNames.length ? ` WHEN ${colNames.map((c) => `m_${c}`).join(" OR ")} THEN 'mismatch'` : "";
  const kind = `CASE WHEN en > 1 OR an > 1 THEN 'duplicate' WHEN an IS NULL THEN 'missing' WHEN en IS NULL THEN 'extra'${mismatch} END`;
  // The differing rows travel as one array of records, typed again by unnest's column list.
  const diffFields: Array<[string, string]> = [
    ...keyNames.map((k, i): [string, string] => [k, commonType(plan.keys[i]!)]),
    ["kind", "text"],
    ["en", "int8"],
    ["an", "int8"],
    ...colNames.flatMap((c, i): Array<[string, string]> => [[`e_${c}`, commonType(plan.columns[i]!)], [`a_${c}`, commonType(plan.columns[i]!)]]),
    ...colNames.map((c): [string, string] => [`m_${c}`, "boolean"]),
  ];
  const summary = [
    "count(*) FILTER (WHERE en IS NOT NULL AND coalesce(ar, 1) = 1) AS expected_rows",
    "count(*) FILTER (WHERE an IS NOT NULL AND coalesce(er, 1) = 1) AS actual_rows",
    "count(*) FILTER (WHERE kind IS NULL) AS matched",
    "count(*) FILTER (WHERE kind = 'missing') AS missing",
    "count(*) FILTER (WHERE kind = 'extra') AS extra",
    "count(*) FILTER (WHERE kind = 'mismatch') AS mismatched",
    "count(*) FILTER (WHERE en > 1 AND first) AS duplicate_expected",
    "count(*) FILTER (WHERE an > 1 AND first) AS duplicate_actual",
    ...colNames.map((c) => `count(*) FILTER (WHERE m_${c}) AS mismatches_${c}`),
    `array_agg(ROW(${diffFields.map(([f]) => f).join(", ")})) FILTER (WHERE kind IS NOT NULL AND first) AS diff`,
  ].join(", ");
  const scalars = ["expected_rows", "actual_rows", "matched", "missing", "extra", "mismatched", "duplicate_expected", "duplicate_actual", ...colNames.map((c) => `mismatches_${c}`)];
  // keysUnique: no key repeats on either side, so no window is needed (n = r = 1).
  const body = (keysUnique: boolean): string =>
    `WITH x AS (${side(expected, "assay_e", keysUnique)}),\ny AS (${side(plan.actual, "assay_a", keysUnique || plan.actualUnique)}),\n` +
    `j AS (SELECT ${j} FROM x FULL JOIN y ON ${join} OFFSET 0),\nc AS (SELECT j.*, ${kind} AS kind FROM j OFFSET 0)\nSELECT ${summary} FROM c`;
  const text =
    `WITH repeats AS MATERIALIZED (SELECT ${repeated} AS found),\n` +
    `s AS (SELECT * FROM (${body(true)}) AS unique_keys WHERE NOT (SELECT found FROM repeats)\n` +
    `UNION ALL SELECT * FROM (${body(false)}) AS repeated_keys WHERE (SELECT found FROM repeats))\n` +
    `SELECT ${scalars.map((f) => `s.${f}`).join(", ")}, ${diffFields.map(([f]) => `d.${f}`).join(", ")}\n` +
    `FROM s LEFT JOIN LATERAL unnest(s.diff) AS d(${diffFields.map(([f, t]) => `${f} ${t}`).join(", ")}) ON true\n` +
    `ORDER BY ${keyNames.map((k) => `d.${k} NULLS FIRST`).join(", ")} LIMIT ${param(plan.maxDiffRows + 1, "int8")}`;
  return { text, values };
}

/** A type name without its modifier (`numeric(12,2)` → `numeric`), as aggregates return it. */
function sqlTypeName(raw: string): string {
  return raw.replace(/\(\d+(,\d+)?\)/, "");
}
