import { BackendError, isAssayError } from "@assay/ports";

/** What a DuckDB error was about, for the message the user sees. */
export interface ErrorContext {
  /** e.g. "the expected query of stage_accounts", "countRows on alpha.orders". */
  what: string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when DuckDB reports that the statement was interrupted (timeout or cancellation). */
export function isInterrupt(error: unknown): boolean {
  return /INTERRUPT Error|Interrupted/i.test(messageOf(error));
}

/** Maps a DuckDB error to a BackendError: unknown tables → BACKEND_OBJECT_NOT_FOUND, the rest → BACKEND_QUERY. */
export function toBackendError(error: unknown, context: ErrorContext): BackendError {
  if (isAssayError(error)) return error;
  const message = messageOf(error).trim();
  if (/^Catalog Error: (Table|Table Function|View|Schema) with name .* does not exist/i.test(message)) {
    return new BackendError("BACKEND_OBJECT_NOT_FOUND", `${context.what} failed: ${message.split("\n")[0]}`, {
      expected: "a table or view that exists at the run's domain, stage and instance",
      fix: "Check the object's name and the coordinates (stage, instance) the test runs at.",
      cause: error,
    });
  }
  return new BackendError("BACKEND_QUERY", `${context.what} failed in DuckDB: ${message}`, {
    fix: "Fix the SQL or the data it reads; the DuckDB message above says what is wrong.",
    cause: error,
  });
}

export function timeoutError(what: string, timeoutMs: number, cause: unknown): BackendError {
  return new BackendError("BACKEND_TIMEOUT", `${what} ran longer than the time limit of ${timeoutMs} ms and was interrupted`, {
    fix: "Make the query cheaper, or raise the duckdb backend option timeoutMs.",
    cause,
  });
}

export function cancelledError(what: string, cause: unknown): BackendError {
  return new BackendError("BACKEND_TIMEOUT", `${what} was cancelled (its signal was aborted) and DuckDB was interrupted`, { cause });
}
