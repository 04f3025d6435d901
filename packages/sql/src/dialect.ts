import type { FoundObject, Introspector } from "./introspector.js";
import type { Session } from "./driver.js";
import type { ComparePlanner } from "./compare/plan.js";
import type { ChecksumDialect } from "./checksum/dialect.js";
import type { ComparedColumn } from "./compare/resolve.js";
import type { ComparisonType } from "@assay/ports";
import type { TypeMap } from "./types.js";

/**
 * What differs per engine in the SQL assay generates: quoting, parameters, and the few
 * expressions the standard leaves open. The kit writes every statement through these, so a
 * dialect is data plus a handful of one-line functions (cf. kysely's QueryCompiler/Adapter).
 */
export interface Dialect {
  /** The `$1`-style (1-based) or `?`-style placeholder of the n-th bound parameter. */
  param(index: number): string;
  /** The SQL name of an object in a catalogue (database) and schema, e.g. `"schema"."name"`. */
  qualify(object: { catalog: string; schema: string; name: string }): string;
  /** Harmonised type names of the engine's own types (added to the standard ones). */
  types: TypeMap;
  /** The engine's type for each comparison type: `exact` is the widest exact decimal of that scale. */
  comparisonTypeName(type: Exclude<ComparisonType, { kind: "same" | "native" | "timestamp" | "timestamptz" }>): string;
  /**
   * A value of harmonised type `from` as the temporal comparison type. Default: the standard
   * `CAST(x AS TIMESTAMP)` / `CAST(x AS TIMESTAMP WITH TIME ZONE)`, which reads a TIMESTAMP in the
   * session's time zone: sessions run in UTC on every kit engine.
   */
  temporalCast?(expression: string, from: string, to: "timestamp" | "timestamptz"): string;
  /** Digits of the engine's widest exact number type (DuckDB 38); absent: unbounded (PostgreSQL's numeric). */
  maxExactDigits?: number;
  /**
   * An ORDER BY term giving code-point order for text, ascending, NULLs first. `type` is the
   * harmonised type: PostgreSQL adds COLLATE "C" for `string`, since locale collations sort `a A b B`.
   */
  orderTerm(expression: string, type: string): string;
  /** A deterministic condition keeping `percent` of keys by a hash of their text and the seed; absent: no sampled COMPARE. */
  sampleCondition?(keys: string[], seed: string, percent: number, bind: (value: string | number) => string): string;
  /** Object names match case-insensitively when no exact match exists (DuckDB folds names; PostgreSQL does not). */
  foldsObjectNames: boolean;
  /** Types with no equality operator on this engine, compared as text (e.g. PostgreSQL's json). */
  comparedAsText?(type: string): boolean;
  /** A cast of a bound tolerance parameter to the type subtraction results are compared with. */
  toleranceCast(param: string, exact: boolean): string;
  /**
   * |e - a| of two exact numbers that never fails on overflow (BIGINT 9223372036854775807
   * against -1): computed in a wider exact type, or where none is wider, approximately once the
   * exact difference no longer fits. Default `abs(e - a)`, for engines whose exact arithmetic widens.
   */
  absDifference?(e: string, a: string, column?: ComparedColumn): string;
  /**
   * Counts and differing keys from one reading of the expected query (window aggregates over the
   * keyed rows), where the engine evaluates a CTE once per reference (MariaDB): a
   * non-deterministic expected query (`rand()`) is then judged on the rows it gave once.
   */
  singlePass?: boolean;
  /**
   * A value of harmonised type `type` in a form the engine returns exactly, where its result
   * format loses digits (MariaDB and MySQL send FLOAT with 6 significant digits; as DOUBLE it is
   * exact). Used for compared and shown values alike, so it must keep equality.
   */
  shownValue?(expression: string, type: string): string;
  /**
   * The statement query() streams for user SQL (already checked); default: the SQL itself.
   * PostgreSQL embeds it as a subquery, so that only a query can parse.
   */
  userQuery?(sql: string): string;
  /** NULL-safe equality where the engine lacks `IS NOT DISTINCT FROM` (MariaDB and MySQL: `<=>`) or its NaN differs from NaN (ClickHouse); `floating`: the values may be NaN. */
  nullSafeEqual?(left: string, right: string, floating?: boolean): string;
  /** A count of the rows where `condition` holds, where the engine lacks `count(*) FILTER (WHERE ...)`. */
  countWhere?(condition: string): string;
  /**
   * A text value as COMPARE groups and compares it, where the engine's default collation is not
   * code points (MariaDB and MySQL: case-insensitive, trailing spaces ignored). `type` is the
   * harmonised type of the value, after any cast to the comparison type.
   */
  exactText?(expression: string, type: string): string;
  /**
   * How latestLoad reads a stage table, from what the engine knows of it. `grouped`: once,
   * grouped by load timestamp and file, rather than twice (newest timestamp first, then that
   * load's files): cheaper with few distinct timestamps and no index to find the newest one.
   * `tail`: a condition selecting the table's physically last rows (PostgreSQL: its last pages by
   * ctid), where loads append: the newest load there is taken as a guess and checked with one
   * filtered count, far cheaper than grouping every row; a wrong guess costs that count. Absent:
   * two reads, no guess.
   */
  latestLoadPlan?(session: Session, object: FoundObject, timestampColumn: string): Promise<{ grouped?: boolean; tail?: string | null }>;
  /**
   * An aggregate true when the non-NULL values of `expression` in the group are all the same, byte
   * for byte. When given (and the plan is not grouped), latestLoad first reads, with plain
   * aggregates, whether the newest load names one file, and groups by file only when it names
   * several: on MariaDB grouping by a text key costs about 1 µs a row in its temporary table,
   * three times a scan, and a load is mostly one file.
   */
  sameText?(expression: string): string;
  /** Per-engine introspection where information_schema is not enough. */
  introspector?: Partial<Introspector>;
  /** A tuned COMPARE where faster than the portable default plan (compare/plan.ts). */
  comparePlanner?: ComparePlanner;
  /** The canonical row encoding's engine-specific expressions; absent: no checksum capability (checksum/dialect.ts). */
  checksum?: ChecksumDialect;
}

/** A double-quoted identifier (SQL standard): `a"b` → `"a""b"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** NULL-safe equality (SQL:1999), on every engine the kit targets so far. */
export function nullSafeEqual(left: string, right: string): string {
  return `${left} IS NOT DISTINCT FROM ${right}`;
}

/** NULL-safe equality in the dialect's spelling (Dialect.nullSafeEqual), else SQL:1999's. */
export function equalNullSafe(dialect: Dialect, left: string, right: string, floating = false): string {
  return dialect.nullSafeEqual ? dialect.nullSafeEqual(left, right, floating) : nullSafeEqual(left, right);
}

/** A count of the rows where `condition` holds, in the dialect's spelling (Dialect.countWhere), else with FILTER. */
export function countWhere(dialect: Dialect | undefined, condition: string): string {
  return dialect?.countWhere?.(condition) ?? `count(*) FILTER (WHERE ${condition})`;
}

/**
 * A value of harmonised type `from` as the comparison type, or unchanged for `same` and `native`.
 * A BOOLEAN meeting an integer is 1 or 0 (not every engine casts a boolean to BIGINT).
 */
export function castTo(dialect: Dialect, expression: string, type: ComparisonType, from = ""): string {
  switch (type.kind) {
    case "same":
    case "native":
      return expression;
    case "timestamp":
    case "timestamptz":
      if (from === type.kind) return expression;
      return dialect.temporalCast?.(expression, from, type.kind) ?? `CAST(${expression} AS ${type.kind === "timestamp" ? "TIMESTAMP" : "TIMESTAMP WITH TIME ZONE"})`;
    case "integer":
      if (from === "boolean") return `CAST(CASE WHEN ${expression} THEN 1 WHEN NOT ${expression} THEN 0 END AS ${dialect.comparisonTypeName(type)})`;
      return `CAST(${expression} AS ${dialect.comparisonTypeName(type)})`;
    default:
      return `CAST(${expression} AS ${dialect.comparisonTypeName(type)})`;
  }
}

/**
 * User SQL ready to sit inside parentheses, otherwise untouched: a final `;` followed only by
 * whitespace and comments is dropped, and a newline ends it so that a trailing `-- comment`
 * cannot swallow the `)` after it. Such a `;` cannot be inside a literal (the literal would be
 * unterminated); inside a trailing line comment dropping it changes nothing.
 */
export function embeddable(sql: string): string {
  const terminator = /;((?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*)$/.exec(sql);
  return terminator ? `${sql.slice(0, terminator.index)}${terminator[1] ?? ""}\n` : `${sql}\n`;
}

/** Data-modifying statements inside another (a CTE): `INSERT INTO`, `UPDATE x SET`, `DELETE FROM`, `MERGE INTO`. */
const WRITES = /\b(INSERT(?=\s+INTO\b)|UPDATE(?=\s+\S+\s+SET\b)|DELETE(?=\s+FROM\b)|MERGE(?=\s+INTO\b))/gi;

/**
 * The statements of a SQL text (split on `;` outside quotes, dollar quotes and comments), each
 * with its first keyword and the write keywords inside it: to name what a refusal refused
 * (`SELECT 1; DELETE ...`, `WITH d AS (DELETE ...) SELECT ...`). Never used to decide what runs.
 */
export function statementKinds(sql: string): Array<{ first: string; writes: string[] }> {
  const statements: string[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const skip = /^(--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|(\$\w*\$)[\s\S]*?\2)/.exec(rest);
    if (skip) {
      // Comments and literals keep their place but not their words.
      current += skip[0].startsWith("--") || skip[0].startsWith("/*") ? " " : "''";
      i += skip[0].length;
    } else if (sql[i] === ";") {
      statements.push(current);
      current = "";
      i++;
    } else current += sql[i++];
  }
  statements.push(current);
  return statements
    .filter((s) => s.trim() !== "")
    .map((s) => ({ first: firstKeyword(s), writes: [...s.matchAll(WRITES)].map((m) => m[1]!.toUpperCase()).filter((w) => w !== firstKeyword(s)) }));
}

/** The kind of a refused statement in words: `a DELETE statement`, `2 statements (SELECT, DELETE)`, `a WITH statement holding DELETE`. */
export function refusedKind(sql: string): string {
  const kinds = statementKinds(sql);
  if (kinds.length > 1) return `${kinds.length} statements (${kinds.map((k) => k.first).join(", ")})`;
  const only = kinds[0] ?? { first: firstKeyword(sql), writes: [] };
  return `a ${only.first} statement${only.writes.length ? ` holding ${[...new Set(only.writes)].join(", ")}` : ""}`;
}

/** The first keyword of a statement past comments, upper-cased, to name a refused statement. */
export function firstKeyword(sql: string): string {
  let text = sql;
  for (;;) {
    const next = text.replace(/^\s+/, "").replace(/^--[^\n]*(\n|$)/, "").replace(/^\/\*[\s\S]*?\*\//, "").replace(/^\(+/, "");
    if (next === text) break;
    text = next;
  }
  return /^[A-Za-z_]+/.exec(text)?.[0]?.toUpperCase() ?? "non-SELECT";
}

/** Words that start a statement in some engine's SQL (writes, admin, session): any other first word is a misspelt query, not a write. */
export const STATEMENT_VERBS = new Set(["ALTER", "ANALYZE", "ATTACH", "BACKUP", "BEGIN", "BINLOG", "CACHE", "CALL", "CHANGE", "CHECK", "CHECKPOINT", "CHECKSUM", "CLUSTER", "COMMENT", "COMMIT", "COPY", "CREATE", "DEALLOCATE", "DELETE", "DESC", "DESCRIBE", "DETACH", "DO", "DROP", "EXECUTE", "EXPLAIN", "EXPORT", "FLUSH", "GET", "GRANT", "HANDLER", "HELP", "IMPORT", "INSERT", "INSTALL", "KILL", "LOAD", "LOCK", "MERGE", "OPTIMIZE", "PRAGMA", "PREPARE", "PURGE", "REINDEX", "RELEASE", "RENAME", "REPAIR", "REPLACE", "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT", "SET", "SHOW", "SHUTDOWN", "SIGNAL", "START", "STOP", "TRUNCATE", "UNINSTALL", "UNLOCK", "UPDATE", "USE", "VACUUM", "XA"]);

/** The items of a comma-separated list, split only at commas outside parentheses (`a, f(b, c)` → `a`, `f(b, c)`), trimmed. */
export function topLevelItems(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of list) {
    depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
    if (ch === "," && depth === 0) {
      items.push(current.trim());
      current = "";
    } else current += ch;
  }
  return current.trim() || items.length > 0 ? [...items, current.trim()] : [];
}
