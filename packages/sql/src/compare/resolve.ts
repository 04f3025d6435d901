import { BackendError, comparisonType, isNumericType, type ComparisonType, type CompareRequestResolved } from "@assay/ports";
import type { Dialect } from "../dialect.js";

/** A column of one side, harmonised. */
export interface SideColumn {
  name: string;
  nativeType: string;
  type: string;
}

/** One compared column (or key) as both sides see it. */
export interface ComparedColumn {
  /** The name the result reports: the request's spelling for keys, the expected query's for columns. */
  name: string;
  expected: SideColumn;
  actual: SideColumn;
  /** The type both sides meet in; `same` needs no cast. */
  meet: ComparisonType;
  /** Compared by value with this absolute tolerance (numbers only; 0 for the rest). */
  tolerance: number;
}

export interface ResolvedCompare {
  request: CompareRequestResolved;
  keys: ComparedColumn[];
  columns: ComparedColumn[];
}

/** A column by its name, exact spelling first, else case-insensitively (on every engine). */
function find(columns: SideColumn[], name: string): SideColumn | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** A tolerance entry by column name, exact spelling first, else case-insensitively. */
function toleranceOf(request: CompareRequestResolved, names: string[]): number {
  const entries = Object.entries(request.tolerance.columns);
  for (const name of names) {
    const exact = request.tolerance.columns[name];
    if (exact !== undefined) return exact;
  }
  const lower = new Set(names.map((n) => n.toLowerCase()));
  return entries.find(([k]) => lower.has(k.toLowerCase()))?.[1] ?? request.tolerance.default;
}

/**
 * The one request resolution every plan shares: keys and compared columns matched by name on
 * both sides, the type each pair meets in, and its tolerance.
 */
export function resolveCompare(request: CompareRequestResolved, expected: SideColumn[], actual: SideColumn[], dialect: Dialect): ResolvedCompare {
  const pair = (name: string, role: "key" | "compared"): ComparedColumn => {
    const e = find(expected, name);
    const a = find(actual, name);
    if (!e || !a) {
      const [side, list] = !e ? ["the expected query", expected] : [`the object ${request.object}`, actual];
      throw new BackendError("BACKEND_QUERY", `COMPARE of ${request.object}: the ${role} column "${name}" is not in ${side}`, {
        expected: `one of: ${list.map((c) => c.name).join(", ")}`,
        fix: role === "key" ? "Check the primary keys of the object's schema spec." : "Check the compare spec's columns and the object's schema.",
      });
    }
    const text = dialect.comparedAsText?.(e.type) === true || dialect.comparedAsText?.(a.type) === true;
    const meet: ComparisonType = text ? { kind: "text" } : comparisonType(e.type, a.type, dialect.maxExactDigits);
    const numeric = meet.kind !== "text" && isNumericType(e.type) && isNumericType(a.type);
    return { name: role === "key" ? name : e.name, expected: e, actual: a, meet, tolerance: numeric && role !== "key" ? toleranceOf(request, [name, e.name, a.name]) : 0 };
  };
  const keys = request.keys.map((k) => pair(k, "key"));
  const keyNames = new Set(keys.map((k) => k.expected.name.toLowerCase()));
  const names = request.columns ?? expected.map((c) => c.name).filter((n) => !keyNames.has(n.toLowerCase()));
  return { request, keys, columns: names.map((n) => pair(n, "compared")) };
}
