import { quoteIdent, type Dialect } from "../src/index.js";

/** A dialect of nothing but the standard: what a new engine starts from (tests add hooks to it). */
export const standard: Dialect = {
  param: (i) => `$${i}`,
  qualify: ({ schema, name }) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
  types: {},
  comparisonTypeName: (t) => (t.kind === "exact" ? `DECIMAL(38,${t.scale})` : { text: "VARCHAR", double: "DOUBLE PRECISION", integer: "BIGINT" }[t.kind]),
  orderTerm: (e) => `${e} ASC NULLS FIRST`,
  foldsObjectNames: false,
  toleranceCast: (p) => `CAST(${p} AS DOUBLE PRECISION)`,
};
