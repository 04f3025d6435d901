import type { Row } from "@assay/ports";
import type { Param, Session, SessionTarget } from "../driver.js";
import { castTo, countWhere, equalNullSafe, quoteIdent, type Dialect } from "../dialect.js";
import type { FoundObject } from "../introspector.js";
import type { ComparedColumn, ResolvedCompare } from "./resolve.js";

/** What a plan gets: the session to run on, the resolved request and both sides' SQL. */
export interface PlanInput {
  session: Session;
  dialect: Dialect;
  plan: ResolvedCompare;
  /** The expected query, embeddable in parentheses (never rewritten). */
  expectedBody: string;
  object: FoundObject;
  at: SessionTarget;
}

/** Runs a COMPARE and returns rows of the one result shape (decode.ts). */
export type ComparePlanner = (input: PlanInput) => Promise<Row[]>;

let planCounter = 0;

/** A name part unique in this process (pid and a counter): generated names no user table can be expected to hold. */
export function planId(): string {
  return `${process.pid}_${++planCounter}`;
}

/** Bound parameters numbered in the dialect's style. */
export class Binder {
  readonly values: Param[] = [];
  constructor(private readonly dialect: Dialect) {}
  bind = (value: Param): string => this.dialect.param(this.values.push(value));
}

/** A side's value of a compared column (or key), cast to the type both sides meet in. */
export function sideValue(dialect: Dialect, column: ComparedColumn, side: "expected" | "actual", alias: string): string {
  const value = castTo(dialect, ownValue(dialect, column, side, alias), column.meet, column[side].type);
  if (!dialect.exactText) return value;
  return dialect.exactText(value, column.meet.kind === "text" ? "string" : column.meet.kind === "same" ? column[side].type : "");
}

/** Whether a column's sides are cast to meet: the diff then shows each side's own value, not the cast one. */
export function isCast(column: ComparedColumn): boolean {
  return column.meet.kind !== "same" && column.meet.kind !== "native";
}

/** A side's own value of compared column i in o<side>_c<i> and NULL in the other side's: a UNION of both sides would coerce one column. */
export function ownValues(dialect: Dialect, column: ComparedColumn, i: number, which: "expected" | "actual", alias: string): string[] {
  return (["e", "a"] as const).map((of) => `${of === which[0] ? ownValue(dialect, column, which, alias) : "NULL"} AS o${of}_c${i}`);
}

/** A side's own value of a column, in the form the engine returns exactly (dialect.shownValue). */
export function ownValue(dialect: Dialect, column: ComparedColumn, side: "expected" | "actual", alias: string): string {
  const raw = `${alias}.${quoteIdent(column[side].name)}`;
  return dialect.shownValue?.(raw, column[side].type) ?? raw;
}

/**
 * Whether the two values of a compared column differ. Equal values never differ, whatever the
 * tolerance: NULL = NULL, NaN = NaN, an infinity = the same infinity, -0 = 0 (the engine's own
 * equality, which on every kit engine treats NaN as equal to itself). NULL against a value
 * differs. With a tolerance, other numbers differ unless |e - a| <= tolerance, written as
 * `NOT (... <= ...)` so that a NaN difference (NaN against a number, +Inf against -Inf) differs
 * on engines where NaN compares false as well as where it sorts last. Exact numbers subtract
 * without overflow (dialect.absDifference); floats subtract halves, which is exact and cannot
 * overflow (1e308 against -1e308).
 */
export function differs(dialect: Dialect, column: ComparedColumn, e: string, a: string, bind: (v: Param) => string): string {
  const floating = column.meet.kind === "double" || (column.meet.kind === "same" && /^(float|double)/.test(column.expected.type));
  const equal = equalNullSafe(dialect, e, a, floating);
  if (column.tolerance === 0) return dialect.nullSafeEqual ? `NOT (${equal})` : `${e} IS DISTINCT FROM ${a}`;
  const tolerance = dialect.toleranceCast(bind(column.tolerance), !floating);
  const within = floating
    ? `abs(${e} / 2 - ${a} / 2) <= ${tolerance} / 2`
    : `${dialect.absDifference?.(e, a, column) ?? `abs(${e} - ${a})`} <= ${tolerance}`;
  return `(CASE WHEN ${equal} THEN false WHEN ${e} IS NULL OR ${a} IS NULL THEN true ELSE NOT (${within}) END)`;
}

/** The kind of a key's difference from its row counts and mismatch flags; NULL: matched. */
export function kindCase(columns: number): string {
  const mismatch = columns > 0 ? ` WHEN ${Array.from({ length: columns }, (_, i) => `m_c${i}`).join(" OR ")} THEN 'mismatch'` : "";
  return `CASE WHEN en > 1 OR an > 1 THEN 'duplicate' WHEN an = 0 OR an IS NULL THEN 'missing' WHEN en = 0 OR en IS NULL THEN 'extra'${mismatch} END`;
}

/** The counts of the result shape over rows carrying en, an, kind and m_c<i>. */
export function summaryTerms(columns: number, dialect?: Dialect, over = ""): string[] {
  const count = (condition: string): string => `${countWhere(dialect, condition)}${over}`;
  return [
    `coalesce(sum(en)${over}, 0) AS expected_rows`,
    `coalesce(sum(an)${over}, 0) AS actual_rows`,
    `${count("kind IS NULL")} AS matched`,
    `${count("kind = 'missing'")} AS missing`,
    `${count("kind = 'extra'")} AS extra`,
    `${count("kind = 'mismatch'")} AS mismatched`,
    `${count("en > 1")} AS duplicate_expected`,
    `${count("an > 1")} AS duplicate_actual`,
    ...Array.from({ length: columns }, (_, i) => `${count(`m_c${i}`)} AS mismatches_c${i}`),
  ];
}

/** Key order for the diff: code-point order for text, NULLs first. */
export function keyOrder(dialect: Dialect, plan: ResolvedCompare, alias: string): string {
  return plan.keys.map((k, i) => dialect.orderTerm(`${alias}.k${i}`, k.meet.kind === "text" ? "string" : k.expected.type)).join(", ");
}

/**
 * The portable plan: both sides in one UNION ALL, grouped by key. One pass over each side, no
 * FULL JOIN (engines without one work), NULL keys grouped as one key by GROUP BY itself. Each
 * side's value of a key present once is taken with max(), so a type must have max() to be
 * compared here (booleans on PostgreSQL do not; its tuned plan is used there). The counts and
 * the first differing keys come back together: one summary row LEFT JOINed to the diff rows.
 */
export const portablePlan: ComparePlanner = async ({ session, dialect, plan, expectedBody, object }) => {
  const binder = new Binder(dialect);
  const { keys, columns, request } = plan;
  const sample = (alias: string): string =>
    request.sample && dialect.sampleCondition
      ? ` WHERE ${dialect.sampleCondition(keys.map((k) => castTo(dialect, `${alias}.${quoteIdent(k[alias === "e" ? "expected" : "actual"].name)}`, { kind: "text" })), request.sample.seed, request.sample.percent, binder.bind)}`
      : "";
  // Per column the UNION carries the value both sides meet in (c<i>), and where a UNION would
  // coerce them, each side's own value in a column of its own (o<side>_c<i>): a cast column shows
  // it in the diff; exact numbers too wide to meet (`native`) are compared in it, each at its type.
  const shared = (c: ComparedColumn): boolean => c.meet.kind !== "native";
  const separate = (c: ComparedColumn): boolean => c.meet.kind !== "same";
  const side = (alias: "e" | "a", from: string): string => {
    const which = alias === "e" ? "expected" : "actual";
    const terms = [
      ...keys.map((k, i) => `${sideValue(dialect, k, which, alias)} AS k${i}`),
      `${alias === "e" ? 1 : 0} AS s`,
      ...columns.flatMap((c, i) => [
        ...(shared(c) ? [`${sideValue(dialect, c, which, alias)} AS c${i}`] : []),
        ...(separate(c) ? ownValues(dialect, c, i, which, alias) : []),
      ]),
    ];
    return `SELECT ${terms.join(", ")} FROM ${from} ${alias}${sample(alias)}`;
  };
  const keyList = keys.map((_, i) => `k${i}`).join(", ");
  // A side's value where the key occurs once on it; a repeated key's rows have no first row here (NULLs).
  const once = (s: 1 | 0, value: string): string => `CASE WHEN count(CASE WHEN s = ${s} THEN 1 END) = 1 THEN max(${value}) END`;
  const grouped = [
    keyList,
    "count(CASE WHEN s = 1 THEN 1 END) AS en",
    "count(CASE WHEN s = 0 THEN 1 END) AS an",
    ...columns.flatMap((c, i) => [
      ...(shared(c)
        ? [`${once(1, `CASE WHEN s = 1 THEN c${i} END`)} AS e_c${i}`, `${once(0, `CASE WHEN s = 0 THEN c${i} END`)} AS a_c${i}`]
        : [`${once(1, `oe_c${i}`)} AS e_c${i}`, `${once(0, `oa_c${i}`)} AS a_c${i}`]),
      ...(shared(c) && separate(c) ? [`${once(1, `oe_c${i}`)} AS oe_c${i}`, `${once(0, `oa_c${i}`)} AS oa_c${i}`] : []),
    ]),
  ];
  const flags = columns.map((c, i) => `(en = 1 AND an = 1 AND ${differs(dialect, c, `e_c${i}`, `a_c${i}`, binder.bind)}) AS m_c${i}`);
  const diffFields = [keyList, "kind", "en", "an", ...columns.flatMap((c, i) => (shared(c) && separate(c) ? [`oe_c${i} AS e_c${i}`, `oa_c${i} AS a_c${i}`] : [`e_c${i}`, `a_c${i}`]).concat(`m_c${i}`))].join(", ");
  // The expected query comes first, so that nothing assay names is in scope in it; the later names
  // carry the process id and a counter besides, for engines whose WITH lets a CTE see the ones after
  // it (MariaDB: a user table named like one then turns into a recursive reference).
  const id = planId();
  const [sides, keyed, flagged, kinds, summary, diff] = ["sides", "keys", "flagged", "kinds", "summary", "diff"].map((n) => `__assay_${n}_${id}`);
  // kinds read once: the counts as window aggregates on every row, and the differing keys first by
  // row number, with one row kept (a matched one when nothing differs) to carry the counts.
  const finalSinglePass = (): string => `${diff} AS (SELECT ${diffFields}, ${summaryTerms(columns.length, dialect, " OVER ()").join(", ")}, row_number() OVER (ORDER BY kind IS NULL, ${keyOrder(dialect, plan, "d")}) AS assay_rn FROM ${kinds} d)
SELECT * FROM ${diff} d WHERE assay_rn = 1 OR (kind IS NOT NULL AND assay_rn <= ${request.maxDiffRows + 1}) ORDER BY ${keyOrder(dialect, plan, "d")}`;
  const sql = `WITH __assay_expected AS (
${expectedBody}),
${sides} AS (
  ${side("e", "__assay_expected")}
  UNION ALL
  ${side("a", object.sql)}
),
${keyed} AS (SELECT ${grouped.join(", ")} FROM ${sides} GROUP BY ${keyList}),
${flagged} AS (SELECT ${keyed}.*${flags.map((f) => `, ${f}`).join("")} FROM ${keyed}),
${kinds} AS (SELECT ${flagged}.*, ${kindCase(columns.length)} AS kind FROM ${flagged}),
${dialect.singlePass ? finalSinglePass() : `${summary} AS (SELECT ${summaryTerms(columns.length, dialect).join(", ")} FROM ${kinds}),
${diff} AS (SELECT ${diffFields} FROM ${kinds} d WHERE kind IS NOT NULL ORDER BY ${keyOrder(dialect, plan, "d")} LIMIT ${request.maxDiffRows + 1})
SELECT s.*, d.* FROM ${summary} s LEFT JOIN ${diff} d ON 1 = 1 ORDER BY ${keyOrder(dialect, plan, "d")}`}`;
  return session.all(sql, binder.values);
};
