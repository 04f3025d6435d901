import type { BackendCapabilities } from "@assay/ports";
import { compareColumns, sameColumnSet } from "./schema-columns.js";
import type { TestTypeDefinition } from "./types.js";

const LISTS = [
  { label: "primary keys", spec: "primaryKeys", capability: "primaryKeys", diff: "pk_diff" },
  { label: "partitioning", spec: "partitioning", capability: "partitioning", diff: "partitioning_diff" },
  { label: "clustering", spec: "clustering", capability: "clustering", diff: "clustering_diff" },
] as const satisfies readonly { capability: keyof BackendCapabilities; spec: string; label: string; diff: string }[];

/**
 * SCHEMA: the object's columns, types, keys, partitioning and clustering as the schema spec
 * states. A table that declares no primary key passes the key check (with a fact saying so)
 * unless the domain sets `schema.requireDeclaredKeys`.
 */
export const schemaTestType: TestTypeDefinition = {
  name: "SCHEMA",
  description: "The object has the columns and types of its schema spec (and its keys, partitioning and clustering where the backend reports them).",
  requiredSpecs: ["schema"],
  optionalSpecs: [],
  preconditions: ["specs unique", "specs valid", "test object exists"],
  async execute(ctx) {
    const spec = ctx.spec("schema")!;
    ctx.fact("Specification", spec.path);
    const actual = await ctx.step("get schema", () => ctx.backend.getSchema(ctx.object, { signal: ctx.signal }));
    const compareTypes = ctx.domain.schema.compareTypes;
    ctx.detail("Compared types", compareTypes ? compareTypes.join(", ") : "all");
    const columns = compareColumns(spec, actual.columns, compareTypes);
    ctx.diff("column_diff", columns.entries);
    const parts: string[] = [];
    const columnsOk = columns.missing.length + columns.extra.length + columns.typeMismatches.length === 0;
    const problems: string[] = [];
    if (columns.missing.length) problems.push(`${columns.missing.length} missing: ${columns.missing.join(", ")}`);
    if (columns.extra.length) problems.push(`${columns.extra.length} extra: ${columns.extra.join(", ")}`);
    if (columns.typeMismatches.length) problems.push(`${columns.typeMismatches.length} type mismatch: ${columns.typeMismatches.join(", ")}`);
    parts.push(columnsOk ? "columns OK" : `columns NOK (${problems.join("; ")})`);
    ctx.fact("Columns compared", (spec.columns ?? []).length);
    let ok = columnsOk;
    for (const list of LISTS) {
      const expected = spec[list.spec];
      if (expected === null) continue;
      if (!ctx.backend.capabilities[list.capability]) {
        ctx.detail(`${list.label} not compared`, `the backend does not report ${list.label}`);
        continue;
      }
      const found = actual[list.spec] ?? [];
      ctx.diff(list.diff, { expected, actual: found });
      ctx.detail(`Expected ${list.label}`, expected.join(", "));
      ctx.detail(`Actual ${list.label}`, found.join(", "));
      // The spec's key is COMPARE's key; a table need not declare it (stage tables, warehouses
      // whose keys are not enforced) unless the domain says so.
      if (list.spec === "primaryKeys" && found.length === 0 && expected.length > 0 && !ctx.domain.schema.requireDeclaredKeys) {
        ctx.fact("Primary keys", `none declared by the table; the spec's key (${expected.join(", ")}) is not checked`);
        parts.push("no primary key declared");
        continue;
      }
      const same = sameColumnSet(expected, found);
      parts.push(same ? `${list.label} OK` : `${list.label} NOK (expected ${expected.join(", ") || "none"}, found ${found.join(", ") || "none"})`);
      ok &&= same;
    }
    ctx.conclude(ok ? "OK" : "NOK", `Schema ${ok ? "matches" : "deviates from"} the spec: ${parts.join("; ")}.`);
  },
};
