import type { TestObjectInfo } from "@assay/ports";
import { Binder, differs, keyOrder, kindCase, quoteIdent, sideValue, summaryTerms, type ComparePlanner, type Dialect, type Introspector, type Session } from "@assay/sql";
import { plainType } from "./driver.js";

/** ClickHouse's type names (lower-case, without Nullable/LowCardinality and parameters) → harmonised. */
const TYPES = {
  int8: "tinyint",
  int16: "smallint",
  int32: "int",
  int64: "bigint",
  int128: "hugeint",
  int256: "decimal(77,0)",
  uint8: "smallint",
  uint16: "int",
  uint32: "bigint",
  uint64: "decimal(20,0)",
  uint128: "decimal(39,0)",
  uint256: "decimal(78,0)",
  float32: "float",
  float64: "double",
  string: "string",
  fixedstring: "string",
  enum8: "string",
  enum16: "string",
  bool: "boolean",
  date32: "date",
  datetime: "timestamp",
  datetime64: "timestamp",
};

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** `id, toYYYYMM(ts)` → ["id", "toYYYYMM(ts)"]: top-level items of a key expression. */
function keyItems(expression: unknown): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of typeof expression === "string" ? expression : "") {
    depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
    if (ch === "," && depth === 0) {
      items.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) items.push(current.trim());
  return items;
}

async function table(session: Session, database: string, name: string): Promise<Record<string, unknown> | undefined> {
  return (await session.all("SELECT engine, sorting_key, partition_key FROM system.tables WHERE database = {p1:String} AND name = {p2:String}", [database, name]))[0];
}

/**
 * system.tables and system.columns. ClickHouse declares no unique keys (its PRIMARY KEY is the
 * sparse index, a prefix of the sorting key), so no primary keys are reported; the sorting key
 * is the clustering and the partition key the partitioning.
 */
const introspector: Introspector = {
  async list(session, at) {
    const rows = await session.all("SELECT name, engine FROM system.tables WHERE database = {p1:String} AND NOT is_temporary", [at.database]);
    return rows.map((r): TestObjectInfo => ({ name: String(r.name), kind: /View$/.test(String(r.engine)) ? "view" : "table" })).sort(byName);
  },
  async find(session, at, name) {
    const found = await table(session, at.database, name);
    return found ? { name, kind: /View$/.test(String(found.engine)) ? "view" : "table", sql: `${quoteIdent(at.database)}.${quoteIdent(name)}` } : null;
  },
  async columns(session, at, object) {
    const rows = await session.all("SELECT name, type FROM system.columns WHERE database = {p1:String} AND table = {p2:String} ORDER BY position", [at.database, object.name]);
    // Reported without Nullable/LowCardinality wrappers, which harmonising (and SCHEMA) ignore.
    return rows.map((r) => ({ name: String(r.name), nativeType: plainType(String(r.type)) }));
  },
  primaryKeys: () => Promise.resolve([]),
  async layout(session, at, object) {
    const found = await table(session, at.database, object.name);
    return { partitioning: keyItems(found?.partition_key), clustering: keyItems(found?.sorting_key) };
  },
};

/**
 * The portable union/group-by plan in one pass, tuned for ClickHouse: anyIf/countIf per key
 * instead of max(CASE ...), and the counts and the first differing keys from one aggregation
 * (groupArraySortedIf keeps the smallest keys), since ClickHouse inlines a CTE read twice.
 * Everything stays in the engine, so it runs distributed as any query does.
 */
const comparePlanner: ComparePlanner = async ({ session, dialect, plan, expectedBody, object }) => {
  const binder = new Binder(dialect);
  const { keys, columns, request } = plan;
  const keyList = keys.map((_, i) => `k${i}`);
  const side = (which: "expected" | "actual", from: string, alias: string): string =>
    `SELECT ${[...keys.map((k, i) => `${sideValue(dialect, k, which, alias)} AS k${i}`), `${which === "expected" ? 1 : 0} AS s`, ...columns.map((c, i) => `${sideValue(dialect, c, which, alias)} AS c${i}`)].join(", ")} FROM ${from} AS ${alias}`;
  const grouped = [...keyList, "countIf(s = 1) AS en", "countIf(s = 0) AS an", ...columns.flatMap((_, i) => [`anyIf(c${i}, s = 1) AS e_c${i}`, `anyIf(c${i}, s = 0) AS a_c${i}`])];
  const flags = columns.map((c, i) => `(en = 1 AND an = 1 AND ${differs(dialect, c, `e_c${i}`, `a_c${i}`, binder.bind)}) AS m_c${i}`);
  const fields = [...keyList, "kind", "en", "an", ...columns.flatMap((_, i) => [`e_c${i}`, `a_c${i}`, `m_c${i}`])];
  const summary = summaryTerms(columns.length);
  const names = summary.map((t) => /AS (\w+)$/.exec(t)![1]!);
  const rows = await session.all(
    `SELECT * FROM (SELECT ${names.join(", ")}, ${fields.map((f, i) => `tupleElement(t, ${i + 1}) AS ${f}`).join(", ")} FROM (
  SELECT ${summary.join(", ")}, groupArraySortedIf(${request.maxDiffRows + 1})(tuple(${fields.join(", ")}), kind IS NOT NULL) AS diff FROM (
    SELECT *, ${kindCase(columns.length)} AS kind FROM (
      SELECT *${flags.map((f) => `, ${f}`).join("")} FROM (
        SELECT ${grouped.join(", ")} FROM (${side("expected", `(\n${expectedBody})`, "e")} UNION ALL ${side("actual", object.sql, "a")}) GROUP BY ${keyList.join(", ")}))))
LEFT ARRAY JOIN diff AS t) AS d ORDER BY ${keyOrder(dialect, plan, "d")}`,
    binder.values,
  );
  // No differing key: LEFT ARRAY JOIN gives one row of defaults, kind ''; flags come as UInt8.
  return rows.map((row) => {
    for (const key of Object.keys(row)) if (/^m_c\d+$/.test(key) && row[key] !== null) row[key] = Number(row[key]) !== 0;
    return row.kind === "" ? { ...row, kind: null } : row;
  });
};

/**
 * ClickHouse SQL, one dialect for the server and chDB: `{p<n>:String}` parameters, byte
 * (code-point) order for strings, Decimal(76, s) as the widest exact type.
 */
export const clickHouseDialect: Dialect = {
  param: (index) => `{p${index}:String}`,
  qualify: ({ schema, name }) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
  types: TYPES,
  comparisonTypeName: (type) => (type.kind === "exact" ? `Decimal(76, ${type.scale})` : { text: "String", double: "Float64", integer: "Int64" }[type.kind]),
  orderTerm: (expression) => `${expression} ASC NULLS FIRST`,
  foldsObjectNames: false,
  toleranceCast: (param, exact) => (exact ? `toDecimal256(${param}, 30)` : `toFloat64(${param})`),
  // Embedded as a subquery: only a query parses there.
  userQuery: (sql) => `SELECT * FROM (\n${sql.replace(/;(\s|--[^\n]*(\n|$))*$/, "")}\n)`,
  introspector,
  comparePlanner,
  checksum: {
    md5: (text) => `lower(hex(MD5(${text})))`,
    nullable: (type) => `Nullable(${type})`,
    hexToInt: (hex) => `reinterpretAsUInt64(reverse(unhex(${hex})))`,
    // UInt64 sums wrap; other engines' do not.
    sum: (value) => `sum(toUInt128(${value}))`,
    timestampText: (x) => `replaceOne(toString(toDateTime64(${x}, 6, 'UTC')), ' ', 'T')`,
  },
};
