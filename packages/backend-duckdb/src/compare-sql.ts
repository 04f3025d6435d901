import { BackendError, type CompareRequestResolved } from "@assay/ports";
import { DuckDBTypeId, type DuckDBType } from "@duckdb/node-api";
import { quoteIdent } from "./sql.js";

/** A column of one side as DuckDB reports it. */
export interface SideColumn {
  name: string;
  type: DuckDBType;
}

/** How one compared column is compared. */
interface ComparedColumn {
  /** The name the result reports (the expected query's spelling). */
  name: string;
  expected: string;
  actual: string;
  /** numeric: by value with tolerance; same: IS DISTINCT FROM; text: both cast to VARCHAR. */
  mode: "numeric" | "same" | "text";
  /** The type both sides are cast to before hashing, when their types differ. */
  hashCast: string | null;
  tolerance: number;
}

/** The plan of one COMPARE: the SQL of its four statements and how to read their results. */
export interface ComparePlan {
  keys: string[];
  columns: ComparedColumn[];
  /** Phase 1: one pass over both sides, grouped by key, keeping only keys that may differ. */
  groupSql: string;
  groupValues: (string | number)[];
  /** Phase 2: the values of the differing keys, fetched by semi-join (cheap scans). */
  detailSql: string;
  detailValues: number[];
  /** Phase 3: the counts. */
  summarySql: string;
  /** Phase 4: the first differing rows in key order. */
  diffSql: string;
  tables: { groups: string; details: string };
}

const INTEGER_DIGITS: Partial<Record<DuckDBTypeId, number>> = {
  [DuckDBTypeId.TINYINT]: 3,
  [DuckDBTypeId.SMALLINT]: 5,
  [DuckDBTypeId.INTEGER]: 10,
  [DuckDBTypeId.BIGINT]: 19,
  [DuckDBTypeId.UTINYINT]: 3,
  [DuckDBTypeId.USMALLINT]: 5,
  [DuckDBTypeId.UINTEGER]: 10,
  [DuckDBTypeId.UBIGINT]: 20,
  [DuckDBTypeId.HUGEINT]: 39,
  [DuckDBTypeId.UHUGEINT]: 39,
};

function isFloating(type: DuckDBType): boolean {
  return type.typeId === DuckDBTypeId.FLOAT || type.typeId === DuckDBTypeId.DOUBLE;
}

function exactShape(type: DuckDBType): { intDigits: number; scale: number } | null {
  if (type.typeId === DuckDBTypeId.DECIMAL) {
    const decimal = type;
    return { intDigits: decimal.width - decimal.scale, scale: decimal.scale };
  }
  const digits = INTEGER_DIGITS[type.typeId];
  return digits === undefined ? null : { intDigits: digits, scale: 0 };
}

function isNumeric(type: DuckDBType): boolean {
  return isFloating(type) || exactShape(type) !== null;
}

/**
 * The type both sides of a numeric column are hashed as when their types differ, so that equal
 * values hash equally (INTEGER 1 and DECIMAL 1.00): an exact DECIMAL when one holds both, else DOUBLE.
 */
function commonNumericType(a: DuckDBType, b: DuckDBType): string {
  const x = exactShape(a);
  const y = exactShape(b);
  if (x && y) {
    const scale = Math.max(x.scale, y.scale);
    if (Math.max(x.intDigits, y.intDigits) + scale <= 38) return `DECIMAL(38,${scale})`;
  }
  return "DOUBLE";
}

function find(columns: SideColumn[], name: string): SideColumn | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

function missingColumn(column: string, side: string, object: string, available: SideColumn[], role: string): BackendError {
  return new BackendError("BACKEND_QUERY", `COMPARE of ${object}: the ${role} column "${column}" is not in ${side}`, {
    expected: `one of: ${available.map((c) => c.name).join(", ")}`,
    fix: role === "key" ? "Check the primary keys of the object's schema spec." : "Check the compare spec's columns and the object's schema.",
  });
}

let planCounter = 0;

/**
 * Builds the COMPARE statements. Phase 1 is the only full pass: both sides reduced to (key,
 * hash of the compared columns), unioned and grouped by key, so each key's row counts per side
 * and whether its hashes agree come out of one hash aggregation over narrow rows. Keys that
 * occur once per side with equal hashes are matched (hashes of the exact, type-aligned values;
 * a false match needs a 64-bit collision between two rows of the same key). Everything else is
 * kept in a temp table, and only those keys have their values fetched and compared exactly.
 */
export function planCompare(
  request: CompareRequestResolved,
  expectedBody: string,
  expected: SideColumn[],
  actual: SideColumn[],
  objectSql: string,
): ComparePlan {
  const object = request.object;
  const keyPairs = request.keys.map((key) => {
    const e = find(expected, key);
    if (!e) throw missingColumn(key, "the expected query", object, expected, "key");
    const a = find(actual, key);
    if (!a) throw missingColumn(key, `the object ${object}`, object, actual, "key");
    return { name: key, e, a };
  });
  const keyNames = new Set(keyPairs.map((k) => k.e.name.toLowerCase()));
  const names = request.columns ?? expected.map((c) => c.name).filter((n) => !keyNames.has(n.toLowerCase()));
  const columns: ComparedColumn[] = names.map((name) => {
    const e = find(expected, name);
    if (!e) throw missingColumn(name, "the expected query", object, expected, "compared");
    const a = find(actual, name);
    if (!a) throw missingColumn(name, `the object ${object}`, object, actual, "compared");
    const sameType = e.type.toString() === a.type.toString();
    const numeric = isNumeric(e.type) && isNumeric(a.type);
    const tolerance = request.tolerance.columns[name] ?? request.tolerance.columns[e.name] ?? request.tolerance.default;
    return {
      name,
      expected: e.name,
      actual: a.name,
      mode: numeric ? "numeric" : sameType ? "same" : "text",
      hashCast: sameType ? null : numeric ? commonNumericType(e.type, a.type) : "VARCHAR",
      tolerance,
    };
  });

  const id = `${process.pid}_${++planCounter}`;
  const groups = `"temp"."main".${quoteIdent(`__assay_groups_${id}`)}`;
  const details = `"temp"."main".${quoteIdent(`__assay_details_${id}`)}`;
  const k = (i: number) => `__k${i}`;
  const keyList = keyPairs.map((_, i) => k(i)).join(", ");
  const keysEqual = (l: string, r: string) => keyPairs.map((_, i) => `${l}.${k(i)} IS NOT DISTINCT FROM ${r}.${k(i)}`).join(" AND ");
  const expectedCte = `__assay_expected AS NOT MATERIALIZED (\n${expectedBody})`;

  const groupValues: (string | number)[] = [];
  const hashOf = (side: "expected" | "actual") =>
    columns.length === 0
      ? "0::UBIGINT"
      : `hash(${columns.map((c) => (c.hashCast ? `CAST(${quoteIdent(c[side])} AS ${c.hashCast})` : quoteIdent(c[side]))).join(", ")})`;
  let sample = "";
  if (request.sample) {
    groupValues.push(request.sample.seed, request.sample.percent * 100);
    // The same expression on both sides: a key is in or out of the sample on both.
    sample = `WHERE hash($1::VARCHAR, ${keyPairs.map((_, i) => `CAST(${k(i)} AS VARCHAR)`).join(", ")}) % 10000 < $2`;
  }
  const sideSelect = (side: "expected" | "actual", from: string, flag: string) =>
    `SELECT * FROM (SELECT ${keyPairs.map((p, i) => `${quoteIdent(side === "expected" ? p.e.name : p.a.name)} AS ${k(i)}`).join(", ")}, ${flag} AS __s, ${hashOf(side)} AS __h FROM ${from}) ${sample}`;

  const groupSql = `CREATE TEMP TABLE ${groups} AS
WITH ${expectedCte},
__assay_union AS (
  ${sideSelect("expected", "__assay_expected", "true")}
  UNION ALL
  ${sideSelect("actual", objectSql, "false")}
),
__assay_keys AS (
  SELECT ${keyList}, count(*) FILTER (WHERE __s) AS __ne, count(*) FILTER (WHERE NOT __s) AS __na,
    coalesce(count(*) = 2 AND count(*) FILTER (WHERE __s) = 1
      AND any_value(__h) FILTER (WHERE __s) = any_value(__h) FILTER (WHERE NOT __s), false) AS __matched
  FROM __assay_union GROUP BY ${keyList}
)
SELECT __matched, ${keyPairs.map((_, i) => `CASE WHEN __matched THEN NULL ELSE ${k(i)} END AS ${k(i)}`).join(", ")},
  sum(__ne) AS __ne, sum(__na) AS __na, count(*) AS __keys
FROM __assay_keys GROUP BY ALL`;

  const c = (i: number) => `__c${i}`;
  const valueOf = (col: ComparedColumn, side: "expected" | "actual") =>
    col.mode === "text" ? `CAST(${quoteIdent(col[side])} AS VARCHAR)` : quoteIdent(col[side]);
  const sideRows = (side: "expected" | "actual", from: string, count: "__ne" | "__na") => `(
    SELECT s.* FROM (SELECT ${keyPairs.map((p, i) => `${quoteIdent(side === "expected" ? p.e.name : p.a.name)} AS ${k(i)}`).join(", ")}${columns.map((col, i) => `, ${valueOf(col, side)} AS ${c(i)}`).join("")} FROM ${from}) s
    SEMI JOIN (SELECT ${keyList} FROM ${groups} WHERE NOT __matched AND ${count} = 1) g ON ${keysEqual("s", "g")}
  )`;
  const detailValues: number[] = [];
  const mismatchOf = (col: ComparedColumn, i: number) => {
    const e = `e.${c(i)}`;
    const a = `a.${c(i)}`;
    if (col.mode !== "numeric" || col.tolerance === 0) return `(${e} IS DISTINCT FROM ${a})`;
    // Exact types subtract exactly (DECIMAL), so a difference equal to the tolerance is within it.
    return `(CASE WHEN ${e} IS NULL OR ${a} IS NULL THEN (${e} IS NULL) <> (${a} IS NULL) ELSE abs(${e} - ${a}) > $${detailValues.push(col.tolerance)}::DOUBLE END)`;
  };
  const detailSql = `CREATE TEMP TABLE ${details} AS
WITH ${expectedCte}
SELECT ${keyPairs.map((_, i) => `g.${k(i)}`).join(", ")}, g.__ne, g.__na${columns.map((_, i) => `, e.${c(i)} AS __e${i}, a.${c(i)} AS __a${i}`).join("")}${columns
    .map((col, i) => `, (g.__ne = 1 AND g.__na = 1 AND ${mismatchOf(col, i)}) AS __m${i}`)
    .join("")}
FROM (SELECT * FROM ${groups} WHERE NOT __matched) g
LEFT JOIN ${sideRows("expected", "__assay_expected", "__ne")} e ON ${keysEqual("g", "e")}
LEFT JOIN ${sideRows("actual", objectSql, "__na")} a ON ${keysEqual("g", "a")}`;

  const anyMismatch = columns.length === 0 ? "false" : columns.map((_, i) => `__m${i}`).join(" OR ");
  const summarySql = `SELECT
  (SELECT coalesce(sum(__ne), 0) FROM ${groups}) AS expected_rows,
  (SELECT coalesce(sum(__na), 0) FROM ${groups}) AS actual_rows,
  (SELECT coalesce(sum(__keys), 0) FROM ${groups} WHERE __matched) AS matched_by_hash,
  count(*) FILTER (WHERE __ne = 1 AND __na = 1 AND NOT (${anyMismatch})) AS matched_by_value,
  count(*) FILTER (WHERE __ne = 1 AND __na = 0) AS missing,
  count(*) FILTER (WHERE __ne = 0 AND __na = 1) AS extra,
  count(*) FILTER (WHERE __ne = 1 AND __na = 1 AND (${anyMismatch})) AS mismatched,
  count(*) FILTER (WHERE __ne > 1) AS duplicate_expected,
  count(*) FILTER (WHERE __na > 1) AS duplicate_actual${columns.map((_, i) => `,\n  count(*) FILTER (WHERE __m${i}) AS m${i}`).join("")}
FROM ${details}`;

  const diffSql = `SELECT * FROM ${details}
WHERE NOT (__ne = 1 AND __na = 1 AND NOT (${anyMismatch}))
ORDER BY ${keyPairs.map((_, i) => `${k(i)} ASC NULLS FIRST`).join(", ")}
LIMIT ${Math.max(0, Math.trunc(request.maxDiffRows))}`;

  return {
    keys: keyPairs.map((p) => p.name),
    columns,
    groupSql,
    groupValues,
    detailSql,
    detailValues,
    summarySql,
    diffSql,
    tables: { groups, details },
  };
}
