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
  const header = parseHeader(text, type, origin);
  return { type, ...origin, error: null, sql, ...(header.connection ? { connection: header.connection } : {}) };
}

const HEADER_KEYS = ["connection"] as const;

/**
 * The optional first line `-- assay: connection=legacy`: settings of the spec itself, kept in
 * a comment so that the file stays a query any SQL tool runs. Only that first line is read.
 */
function parseHeader(text: string, type: "compare" | "rowcount", origin: SpecOrigin): { connection?: string } {
  const first = text.split("\n", 1)[0]!.trim();
  const match = /^--\s*assay\s*:(.*)$/i.exec(first);
  if (!match) return {};
  const where = { file: origin.path, line: 1 };
  const out: { connection?: string } = {};
  for (const pair of match[1]!.split(/[\s,]+/).filter((p) => p !== "")) {
    const [key, value] = pair.split("=", 2) as [string, string | undefined];
    if (!HEADER_KEYS.includes(key as (typeof HEADER_KEYS)[number]) || !value) {
      throw new ConfigError("SPEC_INVALID", `The spec header "${first}" has "${pair}", which assay does not know`, {
        where, expected: `key=value pairs of: ${HEADER_KEYS.join(", ")} (e.g. -- assay: connection=legacy)`,
        fix: "Correct the first line, or make it an ordinary comment by removing \"assay:\".",
      });
    }
    out.connection = value;
  }
  if (out.connection && type !== "compare") {
    throw new ConfigError("SPEC_INVALID", "A rowcount spec cannot name a connection: only a compare spec's expected query runs elsewhere", {
      where, expected: "no connection= in a rowcount spec", fix: "Remove the header line; the expected count is computed on the domain's backend.",
    });
  }
  return out;
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
