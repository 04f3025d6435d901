import { BackendError } from "@assay/ports";
import { STATEMENT_VERBS } from "@assay/sql";

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

/** The SQL with comments, literals and quoted names blanked, statement by statement. */
function statements(sql: string): string[] {
  const out: string[] = [];
  let current = "";
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    const two = sql.slice(i, i + 2);
    if (two === "/*") {
      // MySQL runs the text of /*! ... */ and /*M! ... */ comments: they count as SQL.
      if (sql[i + 2] === "!" || (sql[i + 2] === "M" && sql[i + 3] === "!")) {
        i += sql[i + 2] === "!" ? 2 : 3;
        current += " ";
        continue;
      }
      const end = sql.indexOf("*/", i + 2);
      [i, current] = [end < 0 ? sql.length : end + 1, `${current} `];
    } else if (two === "*/") i += 1;
    else if (two === "--" || ch === "#") {
      const end = sql.indexOf("\n", i);
      [i, current] = [end < 0 ? sql.length : end, `${current} `];
    } else if (ch === "'" || ch === '"' || ch === "`") {
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === "\\" && ch !== "`") j++;
        else if (sql[j] === ch) {
          if (sql[j + 1] === ch) j++;
          else break;
        }
      }
      i = j;
      current += ch === "`" ? " name " : " 'x' ";
    } else if (ch === ";") {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.filter((s) => s.trim().length > 0);
}

function refuse(what: string, detail: string): BackendError {
  return new BackendError("BACKEND_READ_ONLY", `${what} ${detail}; the mariadb backend runs test SQL read-only and ran nothing`, {
    expected: "a single SELECT (WITH ... SELECT, VALUES, TABLE; EXPLAIN of one where a query is run)",
    fix: "Write the test as one query that only reads.",
  });
}

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
