import type { CellValue, CompareResult, DiffRow, Row } from "@assay/ports";
import type { ResolvedCompare } from "./resolve.js";

/**
 * Every plan returns rows of one shape, decoded here for every engine. Each row carries the
 * counts (`expected_rows`, `actual_rows`, `matched`, `missing`, `extra`, `mismatched`,
 * `duplicate_expected`, `duplicate_actual`, `mismatches_c<i>`) and at most one differing key
 * (`k<i>`, `kind`, `en`, `an`, `e_c<i>`, `a_c<i>`, `m_c<i>`; `kind` NULL when none), in key order.
 * `e_c<i>`/`a_c<i>` are each side's own value, not the one cast to meet the other side (a DATE
 * shows as a date beside a TIMESTAMP). For a duplicated key they hold the first row of the side
 * that repeats it (or NULLs where a plan cannot tell a first row).
 */
export function decodeCompare(rows: Row[], plan: ResolvedCompare): CompareResult {
  const { request } = plan;
  const head = rows[0] ?? {};
  const n = (field: string): number => Number(head[field] ?? 0);
  const keys = plan.keys.map((k) => k.name);
  const columns = plan.columns.map((c) => c.name);
  const diff: DiffRow[] = [];
  for (const row of rows) {
    if (row.kind === null || row.kind === undefined) continue;
    const key: Row = Object.fromEntries(keys.map((k, i) => [k, row[`k${i}`] ?? null]));
    const values = (prefix: "e" | "a"): Row => ({
      ...key,
      ...Object.fromEntries(columns.map((c, i) => [c, ownValue(row[`${prefix}_c${i}`] ?? null, plan.columns[i]![prefix === "e" ? "expected" : "actual"].type)])),
    });
    if (row.kind === "duplicate") {
      const sides: Array<["expected" | "actual", CellValue | undefined]> = [["expected", row.en], ["actual", row.an]];
      for (const [side, count] of sides) {
        if (Number(count ?? 0) <= 1) continue;
        const first = side === "expected" ? { expected: values("e"), actual: null } : { expected: null, actual: values("a") };
        diff.push({ kind: "duplicate", key, ...first, columns: [], side, count: Number(count) });
      }
      continue;
    }
    const kind = row.kind as "missing" | "extra" | "mismatch";
    diff.push({
      kind,
      key,
      expected: kind === "extra" ? null : values("e"),
      actual: kind === "missing" ? null : values("a"),
      columns: kind === "mismatch" ? columns.filter((_, i) => row[`m_c${i}`] === true) : [],
    });
  }
  const differing = n("missing") + n("extra") + n("mismatched") + n("duplicate_expected") + n("duplicate_actual");
  const kept = diff.slice(0, request.maxDiffRows);
  return {
    expectedRows: n("expected_rows"),
    actualRows: n("actual_rows"),
    matchedRows: n("matched"),
    missingRows: n("missing"),
    extraRows: n("extra"),
    mismatchedRows: n("mismatched"),
    duplicateKeys: { expected: n("duplicate_expected"), actual: n("duplicate_actual") },
    columns: columns.map((name, i) => ({ name, mismatches: n(`mismatches_c${i}`) })),
    diff: kept,
    truncated: differing > kept.length,
    sample: request.sample ? { percent: request.sample.percent, seed: request.sample.seed } : null,
  };
}

/**
 * A decimal cast up to the scale both sides meet in, back at its side's own scale: the cast only
 * appended zeros (`12.89` as DECIMAL(65,10) is `12.8900000000`), which the diff must not show.
 */
function ownScale(value: CellValue, type: string): CellValue {
  const scale = /^decimal\(\d+,(\d+)\)$/.exec(type)?.[1];
  if (scale === undefined || typeof value !== "string" || !value.includes(".")) return value;
  const keep = value.indexOf(".") + (Number(scale) === 0 ? 0 : 1 + Number(scale));
  return /^0*$/.test(value.slice(keep).replace(/^\./, "")) ? value.slice(0, keep) : value;
}

/** A side's own value: a BOOLEAN the engine returned as 1/0 (MariaDB's TINYINT(1) once aggregated) as true/false. */
function ownValue(value: CellValue, type: string): CellValue {
  if (type === "boolean" && (typeof value === "number" || typeof value === "string")) return Number(value) !== 0;
  return ownScale(value, type);
}
