import type { CellValue, Row } from "@assay/ports";
import { castTo } from "../dialect.js";
import type { Param } from "../driver.js";
import { Binder, sideValue, type PlanInput } from "./plan.js";
import type { ComparedColumn } from "./resolve.js";

/**
 * The one result row of a COMPARE whose checksum pass found both sides holding the same rows
 * with unique keys: every row matched, nothing to list (decode.ts reads it like any plan's rows).
 */
export function allMatched(columns: number, expectedRows: CellValue | undefined, actualRows: CellValue | undefined): Row[] {
  const zero = ["missing", "extra", "mismatched", "duplicate_expected", "duplicate_actual", ...Array.from({ length: columns }, (_, i) => `mismatches_c${i}`)];
  return [{ expected_rows: expectedRows ?? 0, actual_rows: actualRows ?? 0, matched: expectedRows ?? 0, ...Object.fromEntries(zero.map((f) => [f, 0])), kind: null }];
}

export interface ChecksumOptions {
  /** A 64-bit hash of the given values (of the given columns, key or compared), remixed, e.g. DuckDB `hash(hash(...))`. */
  rowHash: (values: string[], columns: ComparedColumn[]) => string;
  /** The object's keys are unique (a primary key or unique index covers them): no repeated-key check. */
  objectUnique: boolean;
  /** A side's value as the plan compares it; default: sideValue(). */
  value?: (column: ComparedColumn, side: "expected" | "actual", alias: string) => string;
}

/** Rows of the probe: at 0.1% of rows differing, about 30 differences fall among them. */
const PROBE_ROWS = 10_000;

/**
 * The checksum pass of a plan that otherwise joins every key; statements run in turn until one
 * answers `same` false, and the plan then runs as before:
 * 1. A probe: the first 10,000 expected rows in key order against the object's rows up to the
 *    last of those keys (an index on the key serves both), by count and checksum. Differences
 *    spread through the table show there, so the whole-table checksum is skipped; the probe
 *    never decides that the sides match.
 * 2. Per side a row count and the xor of `rowHash` (a 64-bit hash of key and compared values,
 *    remixed so that values swapped between rows do not cancel). Values are hashed as compared
 *    (cast to the type they meet in) and tolerance columns exactly: values equal only within a
 *    tolerance fall through to the plan, which applies it.
 * 3. Unless `objectUnique` (a primary key or unique index covers the keys), whether the object
 *    repeats a key: with the same rows on both sides, the expected side then repeats none either.
 * Equal counts and checksums with unique keys: every row matched, no join. Equal expected rows
 * cancel in a xor, but then they differ from the object's unique rows and only a 64-bit
 * collision could hide that (packages/sql/README.md states the risk).
 */
export async function checksumPass(input: PlanInput, options: ChecksumOptions): Promise<Row[] | null> {
  const { rowHash, objectUnique, value = (c, which, alias) => sideValue(input.dialect, c, which, alias) } = options;
  const { session, dialect, plan, expectedBody, object } = input;
  const { keys, columns, request } = plan;
  const expected = `(\n${expectedBody})`;
  const k = keys.map((_, i) => `k${i}`);
  const side = (source: string, alias: string, which: "expected" | "actual", binder: Binder): string => {
    const keyValues = keys.map((key) => value(key, which, alias));
    const sample = request.sample && dialect.sampleCondition
      ? ` WHERE ${dialect.sampleCondition(keyValues.map((v) => castTo(dialect, v, { kind: "text" })), request.sample.seed, request.sample.percent, binder.bind)}`
      : "";
    const hash = rowHash([...keyValues, ...columns.map((c) => value(c, which, alias))], [...keys, ...columns]);
    return `SELECT ${keyValues.map((v, i) => `${v} AS ${k[i]}`).join(", ")}, ${hash} AS h FROM ${source} AS ${alias}${sample}`;
  };
  const list = (alias: string): string => k.map((c) => `${alias}.${c}`).join(", ");
  const probe = new Binder(dialect);
  const sums = new Binder(dialect);
  const repeats = new Binder(dialect);
  const statements: Array<{ sql: string; params: Param[] }> = [
    {
      sql: `WITH __assay_probe_e AS (${side(expected, "assay_e", "expected", probe)} ORDER BY ${k.join(", ")} LIMIT ${PROBE_ROWS}),
__assay_probe_a AS (SELECT * FROM (${side(object.sql, "assay_a", "actual", probe)}) AS p
  WHERE (${list("p")}) <= (SELECT ${list("l")} FROM __assay_probe_e l ORDER BY ${k.map((c) => `l.${c} DESC NULLS LAST`).join(", ")} LIMIT 1))
SELECT (SELECT count(*) FROM __assay_probe_e) = (SELECT count(*) FROM __assay_probe_a)
  AND (SELECT bit_xor(h) FROM __assay_probe_e) IS NOT DISTINCT FROM (SELECT bit_xor(h) FROM __assay_probe_a) AS same`,
      params: probe.values,
    },
    {
      sql: `WITH __assay_sum_e AS (SELECT count(*) AS n, bit_xor(h) AS x FROM (${side(expected, "assay_e", "expected", sums)}) AS e),
__assay_sum_a AS (SELECT count(*) AS n, bit_xor(h) AS x FROM (${side(object.sql, "assay_a", "actual", sums)}) AS a)
SELECT e.n AS rows, e.n = a.n AND e.x IS NOT DISTINCT FROM a.x AS same FROM __assay_sum_e e, __assay_sum_a a`,
      params: sums.values,
    },
  ];
  if (!objectUnique) {
    statements.push({
      sql: `SELECT NOT EXISTS (SELECT FROM (${side(object.sql, "assay_a", "actual", repeats)}) AS r GROUP BY ${k.map((c) => `r.${c}`).join(", ")} HAVING count(*) > 1) AS same`,
      params: repeats.values,
    });
  }
  let rows: CellValue | undefined;
  for (const statement of statements) {
    const row = (await session.all(statement.sql, statement.params))[0];
    if (row?.same !== true) return null;
    rows ??= row.rows;
  }
  return allMatched(columns.length, rows, rows);
}
