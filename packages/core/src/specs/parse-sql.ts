import { ConfigError } from "@assay/ports";
import type { SqlSpec } from "../model.js";
import { decodeUtf8, type SpecOrigin } from "./spec-base.js";

/** The SQL without comments (`-- …` and `/* … *\/`), keeping string literals intact. */
export function stripSqlComments(sql: string): string {
  return sql.replace(/('(?:[^']|'')*'|"(?:[^"]|"")*")|--[^\n]*|\/\*[\s\S]*?\*\//g, (match, literal: string | undefined) =>
    literal ?? " ",
  );
}

/**
 * `<object>.compare.sql` and `<object>.rowcount.sql`: a plain query (SELECT, WITH … SELECT,
 * VALUES) naming tables without coordinates. No magic markers; a trailing semicolon is dropped
 * because the backend may embed the query.
 */
export function parseSqlSpec(type: "compare" | "rowcount", bytes: Uint8Array, origin: SpecOrigin): SqlSpec {
  const text = decodeUtf8(bytes).replace(/^\uFEFF/, "");
  const code = stripSqlComments(text).trim();
  const fix =
    type === "compare"
      ? "Write one SELECT that returns the rows the object should hold."
      : "Write one SELECT that returns one row with one number: the expected row count.";
  if (code === "" || code === ";") {
    throw new ConfigError("SPEC_INVALID", "The SQL file holds no query (it is empty or only comments)", {
      where: { file: origin.path },
      expected: "a SELECT query",
      fix,
    });
  }
  if (!/^(select|with|values|\()/i.test(code)) {
    const first = code.split(/\s+/)[0];
    throw new ConfigError("SPEC_INVALID", `The SQL must be a query, but it starts with "${first}"`, {
      where: { file: origin.path, line: lineOf(text, first ?? "") },
      expected: "a query starting with SELECT, WITH or VALUES",
      fix,
    });
  }
  const statements = splitStatements(code);
  if (statements.length > 1) {
    const kinds = statements.map((st) => (st.split(/[\s(]+/)[0] ?? "").toUpperCase());
    const refused = kinds.find((k) => !/^(SELECT|WITH|VALUES)$/.test(k));
    throw new ConfigError("SPEC_INVALID", `The SQL file holds ${statements.length} statements (${kinds.join(", then ")})${refused ? `; the ${refused} statement is not a query` : ""}, and a spec is one query`, {
      where: { file: origin.path, line: lineOf(text, statements[1]!.slice(0, 40)) },
      expected: "a single SELECT, WITH … SELECT or VALUES query (a trailing ; is fine)",
      fix: `${fix} Remove the other statements; assay runs nothing but the one query.`,
    });
  }
  const sql = text.replace(/[\s;]+$/, "");
  return { type, ...origin, error: null, sql };
}

/** Statements of comment-free SQL, split at semicolons outside string literals and quoted names; empty ones dropped. */
function splitStatements(code: string): string[] {
  const statements: string[] = [];
  let current = "";
  for (const [token] of code.matchAll(/'(?:[^']|'')*'?|"(?:[^"]|"")*"?|;|[^'";]+/g)) {
    if (token === ";") {
      statements.push(current.trim());
      current = "";
    } else current += token;
  }
  statements.push(current.trim());
  return statements.filter((st) => st !== "");
}

function lineOf(text: string, token: string): number | undefined {
  const index = text.indexOf(token);
  return index < 0 ? undefined : text.slice(0, index).split("\n").length;
}
