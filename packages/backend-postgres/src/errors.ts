import { BackendError, isAssayError } from "@assay/ports";
import { firstKeyword, NON_QUERY_KEYWORDS } from "./sql.js";

/** What an error mapping needs to know to say where things went wrong. */
export interface ErrorContext {
  host: string;
  port: number;
  database: string;
  user: string | undefined;
  timeoutMs: number;
  connectTimeoutMs: number;
  scrub: (text: string) => string;
  /** The user's SQL, when the failing statement embeds it. */
  userSql?: string;
}

interface PgLikeError {
  code?: string;
  message: string;
  position?: string;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EPIPE"]);

function isUnreachable(code: string | undefined, message: string): boolean {
  if (code && (NETWORK_CODES.has(code) || code.startsWith("08") || ["57P01", "57P02", "57P03"].includes(code))) return true;
  return /timeout expired|Connection terminated|connection timeout|Client has encountered a connection error|Connection closed|terminating connection/i.test(message);
}

/** Translates anything pg throws into a BackendError with a stable code and no secrets. */
export function toBackendError(error: unknown, ctx: ErrorContext): BackendError {
  if (isAssayError(error)) return error;
  const pgError = (error instanceof Error ? error : new Error(String(error))) as Error & PgLikeError;
  const detail = ctx.scrub(pgError.message);
  // Keep the cause for --debug, with the same scrubbing as the message.
  pgError.message = detail;
  const cause = pgError;
  const server = `PostgreSQL at ${ctx.host}:${ctx.port}`;
  const code = pgError.code;

  if (code === "28P01" || code === "28000" || /password must be a string|SASL|password authentication/i.test(detail)) {
    return new BackendError("BACKEND_AUTH", `${server} refused user ${JSON.stringify(ctx.user ?? "(default)")}: ${detail}`, {
      expected: "a user and password the server accepts",
      fix: "Check user and password in the backend options (or the environment variable they come from).",
      cause,
    });
  }
  if (isUnreachable(code, detail)) {
    const timedOut = /timeout/i.test(detail);
    return new BackendError(
      "BACKEND_UNREACHABLE",
      timedOut
        ? `${server} did not answer within ${ctx.connectTimeoutMs} ms (connectTimeoutMs): ${detail}`
        : `${server} is unreachable or closed the connection: ${detail}`,
      { fix: "Check that the server is running and that host and port in the backend options are right.", cause },
    );
  }
  if (code === "57014") {
    return new BackendError("BACKEND_TIMEOUT", `The query ran longer than the statement timeout of ${ctx.timeoutMs} ms and was cancelled`, {
      fix: "Raise timeoutMs in the backend options, or make the query cheaper.",
      cause,
    });
  }
  if (code === "25006" || (code === "0A000" && /data-modifying statement/i.test(detail)) || /read-write mode/i.test(detail)) {
    return readOnly(detail, cause);
  }
  if (code === "42601" && ctx.userSql !== undefined) {
    const keyword = firstKeyword(ctx.userSql);
    // A statement that starts with DELETE, COPY, ... cannot parse as the subquery assay embeds.
    if (NON_QUERY_KEYWORDS.has(keyword)) {
      return readOnly(`a ${keyword} statement is not a query`, cause);
    }
  }
  if (code === "3D000") {
    return new BackendError("BACKEND_OBJECT_NOT_FOUND", `${server}: database ${JSON.stringify(ctx.database)} does not exist`, {
      fix: "Create it, or correct the `database` template in the backend options.",
      cause,
    });
  }
  if (code === "42P01" || code === "3F000") {
    return new BackendError("BACKEND_OBJECT_NOT_FOUND", `${detail} (database ${JSON.stringify(ctx.database)})`, { cause });
  }
  return new BackendError("BACKEND_QUERY", `PostgreSQL refused the query (database ${JSON.stringify(ctx.database)}): ${detail}${code ? ` [SQLSTATE ${code}]` : ""}`, {
    cause,
  });
}

function readOnly(detail: string, cause: unknown): BackendError {
  return new BackendError("BACKEND_READ_ONLY", `assay runs queries read-only and refused a statement that writes: ${detail}`, {
    expected: "a query (SELECT, VALUES, TABLE or WITH ... SELECT) that changes nothing",
    fix: "Remove the writing statement from the spec SQL.",
    cause,
  });
}

/** The error an aborted call rejects with. */
export function abortedError(signal: AbortSignal): BackendError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "";
  return new BackendError("BACKEND_TIMEOUT", `The query was cancelled because the call was aborted${why ? ` (${why})` : ""}`, {
    cause: reason,
  });
}
