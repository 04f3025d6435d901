import type { Column } from "@assay/ports";
import type { SchemaSpec } from "../model.js";
import { harmoniseTypeName, typeListed, typeMatches } from "../specs/harmonise-type.js";

/** One line of column_diff. result_type is null when the type was not compared. */
export interface ColumnDiffEntry {
  expected_column: string | null;
  expected_type: string | null;
  actual_column: string | null;
  actual_type: string | null;
  result_column: "OK" | "NOK";
  result_type: "OK" | "NOK" | null;
  result: "OK" | "NOK";
}

export interface ColumnComparison {
  entries: ColumnDiffEntry[];
  missing: string[];
  extra: string[];
  typeMismatches: string[];
}

/**
 * Spec columns against the object's: names case-insensitively, types by typeMatches (families,
 * widths, parameters only where the spec gives them), and only for spec types that an entry of
 * `compareTypes` covers (all when absent). Spec order first, then the object's extra columns.
 */
export function compareColumns(spec: SchemaSpec, actual: readonly Column[], compareTypes: string[] | undefined): ColumnComparison {
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const specNames = new Set((spec.columns ?? []).map((c) => c.name.toLowerCase()));
  const result: ColumnComparison = { entries: [], missing: [], extra: [], typeMismatches: [] };
  for (const column of spec.columns ?? []) {
    const found = byName.get(column.name.toLowerCase());
    if (!found) {
      result.missing.push(column.name);
      result.entries.push({
        expected_column: column.name, expected_type: column.type, actual_column: null, actual_type: null,
        result_column: "NOK", result_type: null, result: "NOK",
      });
      continue;
    }
    let resultType: "OK" | "NOK" | null = null;
    const specType = column.type;
    if (specType !== null && (!compareTypes || compareTypes.some((entry) => typeListed(entry, specType)))) {
      resultType = typeMatches(specType, found.type) ? "OK" : "NOK";
      if (resultType === "NOK") result.typeMismatches.push(`${column.name} ${harmoniseTypeName(specType)} ≠ ${harmoniseTypeName(found.type)}`);
    }
    result.entries.push({
      expected_column: column.name, expected_type: column.type, actual_column: found.name, actual_type: found.type,
      result_column: "OK", result_type: resultType, result: resultType === "NOK" ? "NOK" : "OK",
    });
  }
  for (const column of actual) {
    if (specNames.has(column.name.toLowerCase())) continue;
    result.extra.push(column.name);
    result.entries.push({
      expected_column: null, expected_type: null, actual_column: column.name, actual_type: column.type,
      result_column: "NOK", result_type: null, result: "NOK",
    });
  }
  return result;
}

/** Set equality of column lists, case-insensitively. */
export function sameColumnSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((s) => y.has(s));
}
