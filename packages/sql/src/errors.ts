import { BackendError, isAssayError, type AssayError } from "@assay/ports";
import type { ErrorScene, ErrorTable, NativeError } from "./driver.js";

/** A BackendError and whether the connection it came from must be discarded. */
export interface Classified {
  error: AssayError;
  fatal: boolean;
}

function native(error: unknown, scrub: (text: string) => string): NativeError {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = scrub(typeof e?.message === "string" ? e.message : String(error)).trim();
  // The cause is shown with --debug: scrub it as well as the message.
  if (error instanceof Error) error.message = message;
  return { code: typeof e?.code === "string" ? e.code : undefined, message, cause: error };
}

/**
 * Classifies anything a driver throws through its one error table. AssayErrors pass unchanged
 * (not fatal: they are assay's own refusals); an error no rule matches is BACKEND_QUERY.
 */
export function classifyError(error: unknown, table: ErrorTable, engine: string, scene: ErrorScene): Classified {
  if (isAssayError(error)) return { error, fatal: error.code === "BACKEND_UNREACHABLE" };
  const found = native(error, (text) => (table.scrub ? table.scrub(text) : text));
  const rule = table.rules.find((r) => r.match(found, scene));
  const code = rule?.code ?? "BACKEND_QUERY";
  const message = rule?.message?.(found, scene) ?? `${scene.what} failed in ${engine}: ${found.message}${found.code && /^[0-9A-Z]{5}$/.test(found.code) ? ` [SQLSTATE ${found.code}]` : ""}`;
  const fix = rule?.fix ?? (code === "BACKEND_QUERY" ? `Fix the SQL or the data it reads; the ${engine} message says what is wrong.` : undefined);
  return { error: new BackendError(code, message, { ...(fix ? { fix } : {}), cause: found.cause }), fatal: rule?.fatal ?? false };
}

export function closedError(engine: string): BackendError {
  return new BackendError("BACKEND_CLOSED", `The ${engine} backend was closed; no more queries can run on it`, {
    fix: "Create a new backend; close() is called once a run has finished.",
  });
}

export function notFoundError(what: string, fix: string): BackendError {
  return new BackendError("BACKEND_OBJECT_NOT_FOUND", what, { expected: "a table or view at the run's domain, stage and instance", fix });
}

/** A refused statement that would write: `what` and why (`is a DELETE statement`); nothing ran. */
export function readOnlyError(backend: string, what: string, detail: string, expected: string): BackendError {
  return new BackendError("BACKEND_READ_ONLY", `${what} ${detail}; the ${backend} backend runs test SQL read-only and ran nothing`, { expected, fix: "Write the test as one query that only reads." });
}
