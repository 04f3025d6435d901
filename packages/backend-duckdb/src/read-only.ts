import { BackendError } from "@assay/ports";
import { refusedKind } from "@assay/sql";
import type { DuckDBConnection } from "@duckdb/node-api";

type Parsed = { kind: "select"; statements: number } | { kind: "other" } | { kind: "error"; message: string };

/**
 * Parses SQL without binding or planning it: DuckDB's json_serialize_sql() serialises SELECT
 * statements only and refuses every other kind. Preparing is not enough to classify a
 * statement safely: DuckDB already creates the target folder of EXPORT DATABASE while planning it.
 */
async function parse(connection: DuckDBConnection, sql: string): Promise<Parsed> {
  const reader = await connection.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR) AS ast", [sql]);
  const parsed = JSON.parse(String(reader.getRows()[0]?.[0])) as { error: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
  if (!parsed.error) return { kind: "select", statements: parsed.statements?.length ?? 0 };
  // The serialiser answers every non-SELECT statement with this error_type: it parsed, but is not a query.
  if (parsed.error_type === "not implemented") return { kind: "other" };
  return { kind: "error", message: `${parsed.error_type ?? "parser"} error: ${parsed.error_message ?? "unreadable SQL"}` };
}

/**
 * User SQL must be exactly one SELECT (any form DuckDB parses as one: CTEs, `FROM t`, DESCRIBE,
 * SHOW); with `explain`, EXPLAIN of a SELECT too. The check parses before anything is bound, so
 * a refused statement has no effect at all. `readOnly: false` (a writable engine on purpose)
 * lifts the refusal of writes but still wants one query where SQL is embedded.
 */
export async function checkReadOnly(connection: DuckDBConnection, sql: string, what: string, rules: { explain: boolean; readOnly: boolean }): Promise<void> {
  const parsed = await parse(connection, sql);
  if (parsed.kind === "error") throw new BackendError("BACKEND_QUERY", `${what} cannot be read by DuckDB: ${parsed.message}`, { fix: "Fix the SQL syntax." });
  if (parsed.kind === "select") {
    if (parsed.statements === 1) return;
    throw new BackendError("BACKEND_QUERY", parsed.statements === 0 ? `${what} holds no SQL statement` : `${what} holds ${parsed.statements} statements; one query is expected`, {
      expected: "exactly one SELECT statement",
      fix: "Keep one query per spec file (a trailing semicolon is fine).",
    });
  }
  const inner = rules.explain && /^explain\s/i.test(sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, ""));
  if (inner) {
    const explained = await parse(connection, sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*explain\s+(analy[sz]e\s+)?/i, ""));
    if (explained.kind === "select" && explained.statements === 1) return;
  }
  const kind = `is ${refusedKind(sql)}`;
  if (!rules.readOnly) throw new BackendError("BACKEND_QUERY", `${what} ${kind}; only a single SELECT can be used here`, { expected: "a single SELECT statement" });
  throw new BackendError("BACKEND_READ_ONLY", `${what} ${kind}; the duckdb backend runs test SQL read-only and ran nothing`, {
    expected: "a single SELECT (or EXPLAIN of a SELECT)",
    fix: "Write the test as a query that only reads. readOnly: false in the backend options allows other statements.",
  });
}
