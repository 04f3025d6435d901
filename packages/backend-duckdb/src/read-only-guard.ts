import { BackendError } from "@assay/ports";
import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from "@duckdb/node-api";
import { toBackendError } from "./errors.js";

/** Leading whitespace and comments removed, to look at the first keyword. */
function stripLeadingComments(sql: string): string {
  let text = sql;
  for (;;) {
    const next = text.replace(/^\s+/, "").replace(/^--[^\n]*(\n|$)/, "").replace(/^\/\*[\s\S]*?\*\//, "");
    if (next === text) return text;
    text = next;
  }
}

function firstKeyword(sql: string): string {
  return (/^[a-z]+/i.exec(stripLeadingComments(sql))?.[0] ?? "non-SELECT").toUpperCase();
}

type Parsed = { kind: "select"; statements: number; ast: string } | { kind: "other" } | { kind: "error"; message: string };

/**
 * Parses SQL without binding or planning it: DuckDB's json_serialize_sql() serialises SELECT
 * statements only and refuses every other kind. Preparing is not enough to classify a
 * statement safely: DuckDB already creates the target folder of EXPORT DATABASE while planning it.
 */
async function parse(connection: DuckDBConnection, sql: string): Promise<Parsed> {
  const reader = await connection.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR) AS ast", [sql]);
  const ast = String(reader.getRows()[0]?.[0]);
  const parsed = JSON.parse(ast) as { error: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
  if (!parsed.error) return { kind: "select", statements: parsed.statements?.length ?? 0, ast };
  // DuckDB's serialiser answers every non-SELECT statement with this error_type: a statement
  // that parsed, but is not a query.
  if (parsed.error_type === "not implemented") return { kind: "other" };
  return { kind: "error", message: `${parsed.error_type ?? "parser"} error: ${parsed.error_message ?? "unreadable SQL"}` };
}

function readOnlyError(what: string, statement: string): BackendError {
  return new BackendError("BACKEND_READ_ONLY", `${what} is a ${statement} statement; the duckdb backend runs test SQL read-only and ran nothing`, {
    expected: "a single SELECT (or EXPLAIN of a SELECT)",
    fix: "Write the test as a query that only reads. readOnly: false in the backend options allows other statements.",
  });
}

export interface CheckedQuery {
  prepared: DuckDBPreparedStatement;
  /** The SQL ready to embed inside parentheses (see `embeddable`). */
  body: string;
}

/**
 * User SQL ready to sit inside parentheses: a trailing semicolon (with whitespace or comments
 * after it) is dropped, and a newline ends it so that a trailing `-- comment` cannot swallow
 * the `)` after it. The text is otherwise untouched; the drop is kept only when DuckDB parses
 * the result to the same statement (a `;` inside a string literal stays).
 */
async function embeddable(connection: DuckDBConnection, sql: string, ast: string): Promise<string> {
  const terminator = /;((?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*)$/.exec(sql);
  if (!terminator) return `${sql}\n`;
  const candidate = `${sql.slice(0, terminator.index)}${terminator[1] ?? ""}`;
  const again = await parse(connection, candidate);
  return again.kind === "select" && again.ast === ast ? `${candidate}\n` : `${sql}\n`;
}

/**
 * Checks and prepares user SQL (never rewritten). With `readOnly`, or when the SQL is to be
 * embedded (`selectOnly`), it must be exactly one SELECT (any form DuckDB parses as one: CTEs,
 * `FROM t`, DESCRIBE, SHOW); `query()` also accepts EXPLAIN of a SELECT. The check parses before
 * anything is bound, so a refused statement has no effect at all.
 */
export async function prepareChecked(
  connection: DuckDBConnection,
  sql: string,
  what: string,
  rules: { readOnly: boolean; selectOnly: boolean },
): Promise<CheckedQuery> {
  let body = `${sql}\n`;
  if (rules.readOnly || rules.selectOnly) {
    const parsed = await parse(connection, sql).catch((error: unknown) => {
      throw toBackendError(error, { what });
    });
    if (parsed.kind === "error") throw new BackendError("BACKEND_QUERY", `${what} cannot be read by DuckDB: ${parsed.message}`, { fix: "Fix the SQL syntax." });
    if (parsed.kind === "other") {
      const explained = !rules.selectOnly && /^explain\s/i.test(stripLeadingComments(sql));
      const inner = explained ? await parse(connection, stripLeadingComments(sql).replace(/^explain\s+(analy[sz]e\s+)?/i, "")) : null;
      if (!(inner?.kind === "select" && inner.statements === 1)) {
        if (rules.readOnly) throw readOnlyError(what, firstKeyword(sql));
        throw new BackendError("BACKEND_QUERY", `${what} is a ${firstKeyword(sql)} statement; only a SELECT can be used here`, {
          expected: "a single SELECT statement",
        });
      }
    } else {
      if (parsed.statements === 0) throw new BackendError("BACKEND_QUERY", `${what} holds no SQL statement`, { expected: "one SELECT statement" });
      if (parsed.statements > 1) {
        throw new BackendError("BACKEND_QUERY", `${what} holds ${parsed.statements} statements; one query is expected`, {
          expected: "exactly one SELECT statement",
          fix: "Keep one query per spec file (a trailing semicolon is fine).",
        });
      }
      if (rules.selectOnly) body = await embeddable(connection, sql, parsed.ast);
    }
  }
  let prepared: DuckDBPreparedStatement;
  try {
    const extracted = await connection.extractStatements(sql);
    if (extracted.count !== 1) {
      throw new BackendError("BACKEND_QUERY", `${what} holds ${extracted.count} statements; one is expected`, { expected: "exactly one statement" });
    }
    prepared = await extracted.prepare(0);
  } catch (error) {
    throw toBackendError(error, { what });
  }
  const type = prepared.statementType;
  if ((rules.readOnly || rules.selectOnly) && type !== StatementType.SELECT && type !== StatementType.EXPLAIN) {
    // Defence in depth: the parse check above already let only SELECTs through.
    prepared.destroySync();
    throw readOnlyError(what, firstKeyword(sql));
  }
  return { prepared, body };
}
