/** SQL text helpers: identifier quoting and embedding user SQL without rewriting it. */

/** A PostgreSQL identifier in double quotes, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * The user's SQL as a subquery body: one trailing semicolon removed, and a newline before the
 * caller's closing parenthesis so that a trailing `--` comment cannot swallow it. The text is
 * otherwise untouched: names resolve through the session's search_path.
 */
export function subquery(sql: string): string {
  const trimmed = sql.trimEnd();
  const body = trimmed.endsWith(";") ? trimmed.slice(0, -1) : trimmed;
  return `(\n${body}\n)`;
}

/**
 * The first word of a statement, skipping whitespace and comments, upper-cased. Used only to
 * explain an error (a DELETE where a query was expected), never to change what runs.
 */
export function firstKeyword(sql: string): string {
  let text = sql;
  for (;;) {
    const before = text;
    text = text.replace(/^\s+/, "").replace(/^--[^\n]*(\n|$)/, "").replace(/^\/\*[\s\S]*?\*\//, "");
    if (text === before) break;
  }
  return (/^[A-Za-z_]+/.exec(text)?.[0] ?? "").toUpperCase();
}

/** Statements that are not queries; refused as writes when they reach the engine. */
export const NON_QUERY_KEYWORDS = new Set([
  "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "DROP", "CREATE", "ALTER", "TRUNCATE", "COPY", "GRANT",
  "REVOKE", "COMMENT", "VACUUM", "ANALYZE", "CLUSTER", "REINDEX", "REFRESH", "LOCK", "CALL", "DO", "SET",
  "RESET", "DISCARD", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "PREPARE",
  "EXECUTE", "DEALLOCATE", "LISTEN", "NOTIFY", "UNLISTEN", "LOAD", "IMPORT", "SECURITY", "REASSIGN",
]);
