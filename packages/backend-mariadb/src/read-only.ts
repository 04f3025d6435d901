import { BackendError } from "@assay/ports";
import { readOnlyError, STATEMENT_VERBS } from "@assay/sql";

/**
 * The first of two guards (sessions are READ ONLY too, which alone does not stop everything:
 * locking reads, session variables). MariaDB and MySQL have no parse-only call, so this reads the
 * statement's words, with comments, string literals and quoted names blanked first.
 */
const QUERY_STARTS = new Set(["SELECT", "WITH", "VALUES", "TABLE"]);

/**
 * Reserved words (they cannot be unquoted names) that only writing or locking statements use,
 * plus the sequence functions that write. INSERT and REPLACE are also string functions: followed
 * by `(` they are allowed. UPDATE catches FOR UPDATE; LOCK catches LOCK IN SHARE MODE; INTO
 * catches SELECT ... INTO OUTFILE, DUMPFILE or @variable.
 */
const WRITE_WORDS = new Set(["INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "RENAME", "GRANT", "REVOKE", "LOAD", "CALL", "LOCK", "UNLOCK", "INTO", "OUTFILE", "NEXTVAL", "SETVAL"]);
const FUNCTIONS_TOO = new Set(["INSERT", "REPLACE"]);

/** Comments (only the markers of the executable `/*!` and `/*M!` kinds, whose text MySQL runs), string literals (backslash escapes) and quoted names. */
const SKIP = /^(?:(\/\*M?!|\*\/|--[^\n]*|#[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:\\[\s\S]|''|[^'\\])*'?|"(?:\\[\s\S]|""|[^"\\])*"?)|`(?:``|[^`])*`?)/;

/** The SQL with comments, literals and quoted names blanked, split at the `;` left. */
function statements(sql: string): string[] {
  let blanked = "";
  for (let i = 0; i < sql.length; ) {
    const skip = SKIP.exec(sql.slice(i));
    blanked += !skip ? sql[i] : skip[1] !== undefined ? " " : skip[2] !== undefined ? " 'x' " : " name ";
    i += skip ? skip[0].length : 1;
  }
  return blanked.split(";").filter((s) => s.trim().length > 0);
}

const refuse = (what: string, detail: string): BackendError => readOnlyError("mariadb", what, detail, "a single SELECT (WITH ... SELECT, VALUES, TABLE; EXPLAIN of one where a query is run)");

/** Throws BACKEND_READ_ONLY (or BACKEND_QUERY for no SQL at all) unless `sql` is one read-only query. */
export function checkReadOnly(sql: string, what: string, explain: boolean): void {
  const parts = statements(sql);
  if (parts.length === 0) throw new BackendError("BACKEND_QUERY", `${what} holds no SQL statement`, { expected: "one query" });
  const words = parts.map((p) => [...p.matchAll(/[A-Za-z_$][\w$]*|\(/g)].map((m) => m[0].toUpperCase()));
  const kinds = words.map((w) => w.find((t) => t !== "(") ?? "?");
  if (parts.length > 1) throw refuse(what, `holds ${parts.length} statements (${kinds.join(", ")}); one query is expected`);
  let tokens = words[0]!;
  if (explain && kinds[0] === "EXPLAIN") tokens = tokens.slice(tokens[1] === "EXTENDED" || tokens[1] === "ANALYZE" ? 2 : 1);
  const first = tokens.find((t) => t !== "(") ?? "?";
  if (!QUERY_STARTS.has(first) && !STATEMENT_VERBS.has(first)) throw new BackendError("BACKEND_QUERY", `${what} is not SQL: no statement starts with ${first}; nothing ran`, { expected: "one SELECT", fix: "Correct the query's first word." });
  if (!QUERY_STARTS.has(first)) throw refuse(what, `is a ${kinds[0]} statement, not a query`);
  const write = tokens.find((t, i) => WRITE_WORDS.has(t) && !(FUNCTIONS_TOO.has(t) && tokens[i + 1] === "("));
  if (write) throw refuse(what, `is a ${first} statement that holds ${write === "INTO" || write === "OUTFILE" ? "SELECT ... INTO" : write}`);
}
