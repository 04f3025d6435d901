import { BackendError, type Row } from "@assay/ports";
import { refusedKind } from "@assay/sql";
import type { DuckDBConnection } from "@duckdb/node-api";

/** Leading whitespace and comments, then EXPLAIN [ANALYZE]. */
const EXPLAIN = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*explain\s+(?:analy[sz]e\s+)?/i;

/**
 * How many SELECT statements the SQL holds, or "other" when it parses but is something else.
 * DuckDB's json_serialize_sql() parses without binding or planning and serialises SELECTs only.
 * (Preparing is no safe test: DuckDB creates EXPORT DATABASE's folder while planning it.)
 * Another engine: its parser, or a session that is read-only by itself (a READ ONLY transaction).
 */
async function selects(connection: DuckDBConnection, sql: string, what: string): Promise<number | "other"> {
  const reader = await connection.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR) AS ast", [sql]);
  const ast = JSON.parse(String((reader.getRowObjects()[0] as Row | undefined)?.ast)) as { error: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
  if (!ast.error) return ast.statements?.length ?? 0;
  if (ast.error_type === "not implemented") return "other";
  throw new BackendError("BACKEND_QUERY", `${what} cannot be read by DuckDB: ${ast.error_message ?? "a syntax error"}`, { fix: "Fix the SQL syntax." });
}

/**
 * User SQL must be exactly one SELECT (with `explain`: or EXPLAIN of one), checked before
 * anything runs, so a refused statement has no effect at all.
 */
export async function checkReadOnly(connection: DuckDBConnection, sql: string, what: string, explain: boolean): Promise<void> {
  const found = await selects(connection, sql, what);
  if (found === 1) return;
  if (found !== "other") {
    throw new BackendError("BACKEND_QUERY", `${what} holds ${found} statements; one query is expected`, {
      expected: "exactly one SELECT statement",
      fix: "Keep one query per spec file (a trailing semicolon is fine).",
    });
  }
  if (explain && EXPLAIN.test(sql) && (await selects(connection, sql.replace(EXPLAIN, ""), what)) === 1) return;
  throw new BackendError("BACKEND_READ_ONLY", `${what} is ${refusedKind(sql)}; the __NAME__ backend runs test SQL read-only and ran nothing`, {
    expected: "a single SELECT (or EXPLAIN of a SELECT)",
    fix: "Write the test as a query that only reads.",
  });
}
