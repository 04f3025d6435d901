import { parseDecimal } from "../compare/decimal.js";
import type { TestTypeDefinition } from "./types.js";
import { recordQuery } from "./query-detail.js";

const n = (v: number) => v.toLocaleString("en-US");

/** ROWCOUNT: the object's row count equals the one number the spec query returns. */
export const rowcountTestType: TestTypeDefinition = {
  name: "ROWCOUNT",
  description: "The object's row count equals the number the rowcount spec's query returns.",
  requiredSpecs: ["rowcount"],
  optionalSpecs: [],
  // No "not empty": 0 rows is a count like any other (OK when the query expects 0).
  preconditions: ["specs unique", "specs valid", "test object exists"],
  async execute(ctx) {
    const spec = ctx.spec("rowcount")!;
    ctx.fact("Rowcount query", spec.path);
    recordQuery(ctx, spec);
    const rows = await ctx.step("run expected count query", async () => {
      const found = [];
      // Two rows are enough to know the query is wrong; stop reading there.
      for await (const row of ctx.backend.query(spec.sql!, ctx.at, { signal: ctx.signal })) {
        found.push(row);
        if (found.length > 1) break;
      }
      return found;
    });
    const row = rows[0];
    const values = row ? Object.values(row) : [];
    const value = values[0];
    const number = parseDecimal(value ?? null);
    if (rows.length !== 1 || values.length !== 1 || !number || !Number.isInteger(Number(value))) {
      const got = rows.length !== 1 ? `${rows.length === 0 ? "no rows" : "more than one row"}` : values.length !== 1 ? `${values.length} columns` : `the value ${JSON.stringify(value)}`;
      ctx.notApplicable(`The rowcount spec ${spec.path} must return one row with one whole number, but it returned ${got}.`);
      return;
    }
    const expected = Number(value);
    const actual = await ctx.step("count rows", () => ctx.backend.countRows(ctx.object, [], { signal: ctx.signal }));
    ctx.fact("Expected rows", expected);
    ctx.fact("Actual rows", actual);
    ctx.diff("rowcount_diff", { expected_count: expected, actual_count: actual });
    if (actual === expected) ctx.conclude("OK", `Row count ${n(actual)} matches the expected count.`);
    else {
      const delta = actual - expected;
      ctx.conclude("NOK", `Row count ${n(actual)} differs from the expected ${n(expected)} (${delta > 0 ? "+" : ""}${n(delta)}).`);
    }
  },
};
