import type { TestObjectInfo } from "@assay/ports";
import { byName, differenceShape, quoteIdent, topLevelItems, type ComparedColumn, type Dialect, type Introspector, type Session } from "@assay/sql";
import { clickHouseComparePlan } from "./compare-plan.js";
import { plainType } from "./driver.js";

/** ClickHouse's type names (lower-case, without Nullable/LowCardinality and parameters) → harmonised. */
const TYPES = {
  int8: "tinyint", int16: "smallint", int32: "int", int64: "bigint", int128: "hugeint", int256: "decimal(77,0)", uint8: "smallint", uint16: "int", uint32: "bigint",
  uint64: "decimal(20,0)", uint128: "decimal(39,0)", uint256: "decimal(78,0)", float32: "float", float64: "double", string: "string", fixedstring: "string",
  enum8: "string", enum16: "string", bool: "boolean", date32: "date", datetime: "timestamp", datetime64: "timestamp",
};

/** `id, intDiv(x, 10)` → ["id", "intDiv(x, 10)"]: top-level items of a key expression (a comma followed by `)` before any `(` is inside a call). */
const keyItems = (expression: unknown): string[] => (typeof expression === "string" ? topLevelItems(expression) : []);

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

/** An exact value in a type its difference with another fits in (Int128, Decimal256; past 76 digits Float64): ClickHouse's arithmetic overflows. */
const widened = (x: string, column?: ComparedColumn): string => {
  const s = column && differenceShape(column.meet, column.expected.type);
  return !s ? x : s.digits + s.scale > 76 ? `toFloat64(${x})` : s.scale === 0 && s.digits <= 38 ? `toInt128(${x})` : `toDecimal256(${x}, ${s.scale})`;
};

/**
 * ClickHouse SQL, one dialect for the server and chDB: `{p<n>:String}` parameters, byte
 * (code-point) order for strings, Nullable(Decimal(76, s)) as the widest exact type (Nullable:
 * a cast value may be NULL), NaN equal to NaN (`x != x` holds for NaN only; IEEE makes them differ).
 */
export const clickHouseDialect: Dialect = {
  param: (index) => `{p${index}:String}`,
  qualify: ({ schema, name }) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
  types: TYPES,
  comparisonTypeName: (type) => `Nullable(${type.kind === "exact" ? `Decimal(76, ${type.scale})` : { text: "String", double: "Float64", integer: "Int64" }[type.kind]})`,
  temporalCast: (expression) => `toDateTime64(${expression}, 6)`,
  nullSafeEqual: (left, right, floating) => `(${left} IS NOT DISTINCT FROM ${right}${floating ? ` OR coalesce(${left} != ${left} AND ${right} != ${right}, false)` : ""})`,
  absDifference: (e, a, column) => `abs(${widened(e, column)} - ${widened(a, column)})`,
  orderTerm: (expression) => `${expression} ASC NULLS FIRST`,
  sampleCondition: (keys, seed, percent, bind) => `cityHash64(${bind(seed)}, ${keys.join(", ")}) % 10000 < toFloat64(${bind(percent * 100)})`,
  foldsObjectNames: false,
  toleranceCast: (param, exact) => (exact ? `toDecimal256(${param}, 30)` : `toFloat64(${param})`),
  // Embedded as a subquery: only a query parses there.
  userQuery: (sql) => `SELECT * FROM (\n${sql.replace(/;(\s|--[^\n]*(\n|$))*$/, "")}\n)`,
  introspector,
  comparePlanner: clickHouseComparePlan,
  // UInt64 sums wrap, other engines' do not: the checksum sums in UInt128.
  checksum: { md5: (text) => `lower(hex(MD5(${text})))`, hexToInt: (hex) => `reinterpretAsUInt64(reverse(unhex(${hex})))`,
    sum: (value) => `sum(toUInt128(${value}))`, timestampText: (x) => `replaceOne(toString(toDateTime64(${x}, 6, 'UTC')), ' ', 'T')` },
};
