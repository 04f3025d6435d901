import { exitCodeFor, isAssayError, printable } from "@assay/ports";

/**
 * The one paragraph a user sees for a failure, and the exit code: an AssayError renders itself
 * (what, where, expected, fix, code); anything else is a bug, reported as an internal error.
 * The stack trace only with --debug.
 */
export function renderError(error: unknown, debug: boolean): { text: string; exitCode: 2 | 3 } {
  const stack = debug && error instanceof Error && error.stack ? `\n${stackOf(error)}` : "";
  // A message may quote a user's name or value: control characters in it are shown escaped.
  if (isAssayError(error)) return { text: `${printable(error.toParagraph())}${stack}`, exitCode: exitCodeFor(error) };
  const message = printable(error instanceof Error ? error.message : String(error));
  const hint = debug ? "" : " Run the command again with --debug to see the stack trace, and report it.";
  return { text: `Internal error: ${message.trim().replace(/\.?$/, ".")}${hint} [INTERNAL]${stack}`, exitCode: 3 };
}

/** The stack with its causes: a plugin's error is often the cause of ours. */
function stackOf(error: Error): string {
  const parts = [error.stack ?? String(error)];
  let cause = error.cause;
  while (cause instanceof Error) {
    parts.push(`Caused by: ${cause.stack ?? cause.message}`);
    cause = cause.cause;
  }
  return parts.join("\n");
}
