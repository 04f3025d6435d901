import type { CellValue, Row } from "../values.js";
import { COMPARE_CASES } from "./compare-cases.js";
import { POLICY_VIEWS } from "./compare-policies.js";

/**
 * The data every backend's contract run holds, described portably: each table is columns with
 * logical types (the harmonised vocabulary of `Column.type`) and rows in port form (the values a
 * backend must give back). The adapter's test set-up loads them in its own engine, usually by
 * executing `contractFixtureSql()`; the suite then reads them through the Backend port only.
 *
 * Adding a fixture is one entry in CONTRACT_FIXTURES; adding an engine is, at most, a few
 * entries of FixtureTypeNames where its type names differ from standard SQL.
 */

/** The logical types fixtures use; `decimal(p,s)` carries its precision and scale. */
export type FixtureType = "int" | "bigint" | "double" | "string" | "boolean" | "date" | "timestamp" | `decimal(${number},${number})`;

export interface FixtureColumn {
  name: string;
  type: FixtureType;
}

export interface FixtureTable {
  name: string;
  columns: readonly FixtureColumn[];
  /** Declared primary key, in constraint order (may differ from column order). */
  primaryKeys?: readonly string[];
  rows: readonly Row[];
  /** Engines that have this table's types; absent: every engine. Others do not load it. */
  engines?: readonly string[];
}

export interface FixtureView {
  name: string;
  /** The view's SELECT; `{table}` names another fixture and is replaced by its qualified name. */
  view: string;
  /** Engines whose SQL the view is written in; absent: every engine. */
  engines?: readonly string[];
}

export type Fixture = FixtureTable | FixtureView;

/** The base table; the dummy backend serves exactly this one (`fixtures: "contract-table"`). */
export const CONTRACT_TABLE = {
  name: "assay_contract_orders",
  /** Harmonised types the backend must report. */
  columns: [
    { name: "id", type: "int" },
    { name: "region", type: "string" },
    { name: "amount", type: "decimal(12,2)" },
    { name: "ordered_on", type: "date" },
  ],
  primaryKeys: ["id"],
  rows: [
    { id: 1, region: "europe", amount: "10.50", ordered_on: "2024-01-01" },
    { id: 2, region: "asia", amount: "20.00", ordered_on: "2024-01-02" },
    { id: 3, region: null, amount: "30.25", ordered_on: "2024-01-03" },
    { id: 4, region: "europe", amount: "0.10", ordered_on: "2024-01-04" },
  ],
} as const satisfies FixtureTable;

/** Exact value forms: decimals beyond double precision, integers on both sides of 2^53, dates, timestamps. */
export const VALUES_TABLE = {
  name: "assay_contract_values",
  columns: [
    { name: "id", type: "int" },
    { name: "dec", type: "decimal(38,10)" },
    { name: "big", type: "bigint" },
    { name: "dbl", type: "double" },
    { name: "flag", type: "boolean" },
    { name: "day", type: "date" },
    { name: "ts", type: "timestamp" },
    { name: "txt", type: "string" },
  ],
  primaryKeys: ["id"],
  rows: [
    { id: 1, dec: "1234567890123456789012345678.1234567890", big: "9223372036854775807", dbl: 0.5, flag: true, day: "2024-02-29", ts: "2024-02-29T13:45:30", txt: "hé" },
    { id: 2, dec: "-0.0000000001", big: "-9223372036854775808", dbl: -2.25, flag: false, day: "1969-12-31", ts: "1969-12-31T23:59:59", txt: "" },
    { id: 3, dec: "0.3000000000", big: 9007199254740991, dbl: 1e21, flag: true, day: "2000-01-01", ts: "2000-01-01T00:00:00", txt: "O'Brien" },
    { id: 4, dec: "9999999999999999999999999999.9999999999", big: "9007199254740993", dbl: 0, flag: false, day: "2024-12-31", ts: "2024-12-31T23:59:59.5", txt: "日本" },
    { id: 5, dec: "1.0000000000", big: -9007199254740991, dbl: 3, flag: true, day: "2024-01-01", ts: "2024-01-01T00:00:01", txt: "a b" },
    { id: 6, dec: null, big: null, dbl: null, flag: null, day: null, ts: null, txt: null },
  ],
} as const satisfies FixtureTable;

/**
 * Text keys whose code-point order differs from every locale collation: upper case before lower
 * case, accented letters after `z`, the empty string first among strings, a NULL key.
 */
export const TEXT_KEYS_TABLE = {
  name: "assay_contract_text_keys",
  columns: [
    { name: "k", type: "string" },
    { name: "n", type: "int" },
  ],
  rows: ["b", "B", "a", "A", "ab", "aB", "a b", "Z", "z", "é", "É", "e", "", "ä", "ß", "日本", "~", "0", null].map((k, n) => ({ k, n })),
} as const satisfies FixtureTable;

/** Several key types for scan order: text with NULLs, decimals by value, booleans. */
export const SCAN_KEYS_TABLE = {
  name: "assay_contract_scan_keys",
  columns: [
    { name: "id", type: "int" },
    { name: "grp", type: "string" },
    { name: "num", type: "decimal(12,2)" },
    { name: "flag", type: "boolean" },
  ],
  primaryKeys: ["id"],
  rows: [
    { id: 1, grp: "b", num: "10.50", flag: true },
    { id: 2, grp: "a", num: "9.00", flag: false },
    { id: 3, grp: null, num: "-1.50", flag: null },
    { id: 4, grp: "B", num: null, flag: true },
    { id: 5, grp: "a", num: "100.00", flag: false },
    { id: 6, grp: "b", num: "0.10", flag: null },
    { id: 7, grp: null, num: "2.00", flag: true },
    { id: 8, grp: "a", num: "-20.00", flag: true },
  ],
} as const satisfies FixtureTable;

/** A composite key declared in another order than the columns. */
export const ACCOUNTS_TABLE = {
  name: "assay_contract_accounts",
  columns: [
    { name: "id", type: "int" },
    { name: "branch", type: "string" },
    { name: "opened", type: "date" },
  ],
  primaryKeys: ["branch", "id"],
  rows: [
    { id: 1, branch: "x", opened: "2024-01-01" },
    { id: 2, branch: "x", opened: "2024-01-02" },
    { id: 3, branch: "y", opened: null },
  ],
} as const satisfies FixtureTable;

/** The target of every write the read-only checks send; it must be intact afterwards. */
export const VICTIM_TABLE = {
  name: "assay_contract_victim",
  columns: [
    { name: "id", type: "int" },
    { name: "note", type: "string" },
  ],
  primaryKeys: ["id"],
  rows: [
    { id: 1, note: "keep" },
    { id: 2, note: "keep" },
    { id: 3, note: "keep" },
  ],
} as const satisfies FixtureTable;

export const EMPTY_TABLE = {
  name: "assay_contract_empty",
  columns: [
    { name: "id", type: "int" },
    { name: "v", type: "int" },
  ],
  primaryKeys: ["id"],
  rows: [],
} as const satisfies FixtureTable;

export const NULL_KEYS_TABLE = {
  name: "assay_contract_null_keys",
  columns: [
    { name: "id", type: "int" },
    { name: "v", type: "string" },
  ],
  rows: [
    { id: null, v: "n" },
    { id: 1, v: "a" },
    { id: 2, v: "b" },
  ],
} as const satisfies FixtureTable;

export const COMPOSITE_TABLE = {
  name: "assay_contract_composite",
  columns: [
    { name: "region", type: "string" },
    { name: "id", type: "int" },
    { name: "amount", type: "decimal(12,2)" },
  ],
  rows: [
    { region: "eu", id: 1, amount: "1.00" },
    { region: "eu", id: 2, amount: "2.00" },
    { region: "us", id: 1, amount: "3.00" },
    { region: null, id: 1, amount: "4.00" },
  ],
} as const satisfies FixtureTable;

export const DUPLICATES_TABLE = {
  name: "assay_contract_dups",
  columns: [
    { name: "code", type: "string" },
    { name: "n", type: "int" },
  ],
  rows: [
    { code: "a", n: 1 },
    { code: "b", n: 2 },
    { code: "b", n: 2 },
    { code: "b", n: 3 },
    { code: "c", n: 4 },
    { code: "c", n: 4 },
  ],
} as const satisfies FixtureTable;

/** Enough rows for sampling, truncation and streaming checks. */
export const MANY_TABLE: FixtureTable = {
  name: "assay_contract_many",
  columns: [
    { name: "id", type: "int" },
    { name: "v", type: "int" },
  ],
  primaryKeys: ["id"],
  rows: Array.from({ length: 2000 }, (_, id) => ({ id, v: id % 7 })),
};

/**
 * A stage table of three loads (latestLoad): the newest names files that differ only in case or
 * by a trailing space and one beyond ASCII, and a row without a load time that no load counts.
 */
export const STAGE_TABLE = {
  name: "assay_contract_stage",
  columns: [
    { name: "id", type: "int" },
    { name: "m__ts", type: "timestamp" },
    { name: "m__source_file_path", type: "string" },
  ],
  rows: [
    { id: 1, m__ts: "2024-01-01T10:00:00", m__source_file_path: "stage/a.csv" },
    { id: 2, m__ts: "2024-01-01T10:00:00", m__source_file_path: "stage/a.csv" },
    { id: 3, m__ts: "2024-01-02T10:00:00", m__source_file_path: "stage/b.csv" },
    { id: 4, m__ts: "2024-01-02T10:00:00", m__source_file_path: "stage/é.csv" },
    { id: 5, m__ts: "2024-01-02T10:00:00", m__source_file_path: "stage/b.csv" },
    { id: 6, m__ts: "2024-01-02T10:00:00", m__source_file_path: "stage/B.csv" },
    { id: 7, m__ts: "2024-01-01T23:59:59", m__source_file_path: "stage/c.csv" },
    { id: 8, m__ts: null, m__source_file_path: "stage/z.csv" },
    { id: 9, m__ts: "2024-01-02T10:00:00", m__source_file_path: "stage/b.csv " },
  ],
} as const satisfies FixtureTable;

/** A stage table holding one load of one file (emptied before each load), under other column names. */
export const STAGE_ONE_LOAD_TABLE = {
  name: "assay_contract_stage_one",
  columns: [
    { name: "loaded", type: "timestamp" },
    { name: "source", type: "string" },
  ],
  rows: [
    { loaded: "2024-03-01T08:30:00", source: "one.csv" },
    { loaded: "2024-03-01T08:30:00", source: "one.csv" },
    { loaded: "2024-03-01T08:30:00", source: "one.csv" },
  ],
} as const satisfies FixtureTable;

/** A stage table with no load yet. */
export const STAGE_EMPTY_TABLE = {
  name: "assay_contract_stage_empty",
  columns: STAGE_TABLE.columns,
  rows: [],
} as const satisfies FixtureTable;

export const EUROPE_VIEW: FixtureView = {
  name: "assay_contract_orders_europe",
  view: `SELECT * FROM {${CONTRACT_TABLE.name}} WHERE region = 'europe'`,
};

export const EMPTY_VIEW: FixtureView = {
  name: "assay_contract_orders_none",
  view: `SELECT * FROM {${CONTRACT_TABLE.name}} WHERE id < 0`,
};

/** Every fixture, in load order (views after the tables they read). */
export const CONTRACT_FIXTURES: readonly Fixture[] = [
  CONTRACT_TABLE,
  VALUES_TABLE,
  TEXT_KEYS_TABLE,
  SCAN_KEYS_TABLE,
  ACCOUNTS_TABLE,
  VICTIM_TABLE,
  EMPTY_TABLE,
  NULL_KEYS_TABLE,
  COMPOSITE_TABLE,
  DUPLICATES_TABLE,
  MANY_TABLE,
  STAGE_TABLE,
  STAGE_ONE_LOAD_TABLE,
  STAGE_EMPTY_TABLE,
  // Several cases may share a table: each is loaded once.
  ...new Map(COMPARE_CASES.flatMap((c) => [c.expected, c.actual]).map((t) => [t.name, t])).values(),
  EUROPE_VIEW,
  EMPTY_VIEW,
  ...POLICY_VIEWS,
];

/**
 * Type names per engine. The defaults are standard SQL, which DuckDB and PostgreSQL both accept;
 * an engine that spells a type differently overrides that entry (e.g. `{ double: "FLOAT64" }`).
 * `decimal` is followed by `(p,s)`.
 */
export interface FixtureTypeNames {
  int: string;
  bigint: string;
  decimal: string;
  double: string;
  string: string;
  boolean: string;
  date: string;
  timestamp: string;
}

export const STANDARD_SQL_TYPE_NAMES: FixtureTypeNames = {
  int: "INTEGER",
  bigint: "BIGINT",
  decimal: "DECIMAL",
  double: "DOUBLE PRECISION",
  string: "VARCHAR",
  boolean: "BOOLEAN",
  date: "DATE",
  timestamp: "TIMESTAMP",
};

export interface FixtureSqlOptions {
  /** How a fixture name is written in DDL, e.g. `(name) => "alpha." + name`. Default: unqualified. */
  qualify?: (name: string) => string;
  /** Type names where the engine differs from standard SQL. */
  types?: Partial<FixtureTypeNames>;
  /** Which fixtures (default: all of CONTRACT_FIXTURES). */
  fixtures?: readonly Fixture[];
  /**
   * A collation clause for every text column, e.g. `"en-x-icu"` on PostgreSQL: many clusters
   * default to a locale collation, and scans and COMPARE must still order text by code point.
   */
  textCollation?: string;
  /** The engine loading them: tables restricted to other engines (`engines`) are left out. */
  engine?: string;
  /** Type names in CAST where they differ from the DDL names (MariaDB: `{ bigint: "SIGNED" }`). */
  castTypes?: Partial<FixtureTypeNames>;
}

/** The engine's name for a logical type; a `decimal` name with `{p}` and `{s}` places them itself (`Nullable(Decimal({p},{s}))`). */
export function sqlTypeName(type: FixtureType, names: Partial<FixtureTypeNames> = {}): string {
  const all = { ...STANDARD_SQL_TYPE_NAMES, ...names };
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (decimal && all.decimal.includes("{p}")) return all.decimal.replace("{p}", decimal[1]!).replace("{s}", decimal[2]!);
  if (decimal) return `${all.decimal}(${decimal[1]},${decimal[2]})`;
  return all[type as Exclude<FixtureType, `decimal(${number},${number})`>];
}

/**
 * A typed SQL literal: `CAST('…' AS type)` for every non-string value, so no engine guesses a type;
 * booleans are the standard TRUE and FALSE (not every engine casts text to a boolean).
 */
export function sqlLiteral(value: CellValue, type: FixtureType, names: Partial<FixtureTypeNames> = {}): string {
  if (value === null) return `CAST(NULL AS ${sqlTypeName(type, names)})`;
  if (type === "boolean" && typeof value === "boolean") return value ? "TRUE" : "FALSE";
  const text = `'${String(value).replaceAll("'", "''")}'`;
  return type === "string" ? text : `CAST(${text} AS ${sqlTypeName(type, names)})`;
}

/**
 * Portable DDL and inserts for the fixtures: CREATE TABLE with the engine's type names and
 * declared primary keys, one multi-row INSERT per table, CREATE VIEW for views. Execute them in
 * order on a writable connection of the engine, at the coordinates the suite is given.
 */
export function contractFixtureSql(options: FixtureSqlOptions = {}): string[] {
  const qualify = options.qualify ?? ((name: string) => name);
  const statements: string[] = [];
  for (const fixture of options.fixtures ?? CONTRACT_FIXTURES) {
    if (fixture.engines && !fixture.engines.includes(options.engine ?? "")) continue;
    if ("view" in fixture) {
      statements.push(`CREATE VIEW ${qualify(fixture.name)} AS ${fixture.view.replace(/\{(\w+)\}/g, (_m, name: string) => qualify(name))}`);
      continue;
    }
    const collate = options.textCollation ? ` COLLATE ${options.textCollation}` : "";
    const columns = fixture.columns.map((c) => `${c.name} ${sqlTypeName(c.type, options.types)}${c.type === "string" ? collate : ""}`);
    if (fixture.primaryKeys?.length) columns.push(`PRIMARY KEY (${fixture.primaryKeys.join(", ")})`);
    statements.push(`CREATE TABLE ${qualify(fixture.name)} (${columns.join(", ")})`);
    if (fixture.rows.length === 0) continue;
    const castTypes = { ...options.types, ...options.castTypes };
    const tuples = fixture.rows.map((row) => `(${fixture.columns.map((c) => sqlLiteral(row[c.name] ?? null, c.type, castTypes)).join(", ")})`);
    statements.push(`INSERT INTO ${qualify(fixture.name)} (${fixture.columns.map((c) => c.name).join(", ")}) VALUES ${tuples.join(", ")}`);
  }
  return statements;
}

/** The base table's DDL alone (kept for adapters that load only CONTRACT_TABLE). */
export function contractTableSql(qualifiedName: string = CONTRACT_TABLE.name): string[] {
  return contractFixtureSql({ fixtures: [CONTRACT_TABLE], qualify: () => qualifiedName });
}
