/**
 * Typed errors with stable codes. Every error assay shows a user is an AssayError: the CLI
 * renders it as one paragraph (what, where, what was expected, how to fix) and maps its
 * category to an exit code. Codes are part of the public surface: never rename one.
 */

export type ErrorCategory =
  /** The command line was wrong. Exit 2. */
  | "usage"
  /** A user file (config, spec, test set) is wrong. Exit 2. */
  | "input"
  /** A plugin is missing, incompatible or broken. Exit 2. */
  | "plugin"
  /** A backend, storage or network failure. Exit 3. */
  | "infrastructure"
  /** A bug in assay or a plugin. Exit 3. */
  | "internal";

export const ErrorCodes = {
  USAGE: "usage",
  CONFIG_NOT_FOUND: "input",
  CONFIG_SYNTAX: "input",
  CONFIG_INVALID: "input",
  SPEC_INVALID: "input",
  TESTSET_INVALID: "input",
  TESTSET_NOT_FOUND: "input",
  RUN_NOT_FOUND: "input",
  /** A shard blob file cannot be read or is not one. */
  BLOB_INVALID: "input",
  /** Shard blobs that do not add up to one run: missing or duplicate shards or test cases, different selections. */
  SHARDS_MISMATCH: "input",
  PLUGIN_NOT_FOUND: "plugin",
  PLUGIN_UNRESOLVABLE: "plugin",
  PLUGIN_MANIFEST_INVALID: "plugin",
  PLUGIN_API_VERSION: "plugin",
  PLUGIN_MODULE_INVALID: "plugin",
  PLUGIN_INSTANCE_INVALID: "plugin",
  PLUGIN_DUPLICATE: "plugin",
  PLUGIN_OPTIONS_INVALID: "input",
  /** A plugin's call (storage, notifier, reporter, backend creation or closing) did not settle in time. */
  PLUGIN_TIMEOUT: "infrastructure",
  STORAGE_KEY_INVALID: "internal",
  STORAGE_NOT_FOUND: "infrastructure",
  STORAGE_IO: "infrastructure",
  STORAGE_SCHEME_UNKNOWN: "input",
  STORAGE_LOCATION_INVALID: "input",
  FORMAT_INVALID: "infrastructure",
  BACKEND_UNREACHABLE: "infrastructure",
  BACKEND_AUTH: "infrastructure",
  BACKEND_QUERY: "infrastructure",
  BACKEND_TIMEOUT: "infrastructure",
  BACKEND_READ_ONLY: "infrastructure",
  BACKEND_OBJECT_NOT_FOUND: "infrastructure",
  BACKEND_UNSUPPORTED: "infrastructure",
  BACKEND_CLOSED: "infrastructure",
  /** A raw file STAGECOUNT was asked to read lies outside its raw folder, or its encoding or format is not one assay reads. */
  RAW_FILE_REFUSED: "input",
  /** A raw file named by a stage table does not exist. */
  RAW_FILE_NOT_FOUND: "infrastructure",
  /** A raw file could not be read or is malformed (unterminated quote, broken Parquet footer). */
  RAW_FILE_UNREADABLE: "infrastructure",
  INTERNAL: "internal",
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof ErrorCodes;

/** Where in the user's input the problem is. Every field is optional; give what is known. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  /** A dotted path inside the file, e.g. `domains.payments.backend.use`. */
  key?: string;
}

export interface AssayErrorDetails {
  where?: ErrorLocation;
  /** What assay expected instead, e.g. "one of: duckdb, postgres". */
  expected?: string;
  /** How the user fixes it, e.g. "Install it: pnpm add -D @assay/backend-postgres". */
  fix?: string;
  cause?: unknown;
}

export class AssayError extends Error {
  readonly code: ErrorCode;
  readonly category: ErrorCategory;
  readonly where: ErrorLocation | undefined;
  readonly expected: string | undefined;
  readonly fix: string | undefined;

  constructor(code: ErrorCode, message: string, details: AssayErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.category = ErrorCodes[code];
    this.where = details.where;
    this.expected = details.expected;
    this.fix = details.fix;
  }

  /** The one-paragraph form users see. */
  toParagraph(): string {
    const parts: string[] = [];
    const where = formatLocation(this.where);
    parts.push(where ? `${where}: ${this.message}` : this.message);
    if (this.expected) parts.push(`Expected ${this.expected}.`);
    if (this.fix) parts.push(this.fix);
    return `${parts.map((p) => p.trim().replace(/\.?$/, ".")).join(" ")} [${this.code}]`;
  }
}

export function formatLocation(where: ErrorLocation | undefined): string {
  if (!where) return "";
  let text = where.file ?? "";
  if (where.line !== undefined) text += `${text ? ":" : "line "}${where.line}`;
  if (where.line !== undefined && where.column !== undefined) text += `:${where.column}`;
  if (where.key) text += `${text ? ", " : ""}key ${where.key}`;
  return text;
}

/** Input files and configuration. */
export class ConfigError extends AssayError {}
/** Plugin discovery, loading and validation. */
export class PluginError extends AssayError {}
/** Storage adapters. */
export class StorageError extends AssayError {}
/** Backend adapters: connection, query, timeout, read-only violations. */
export class BackendError extends AssayError {}

export function isAssayError(value: unknown): value is AssayError {
  return value instanceof Error && typeof (value as Partial<AssayError>).code === "string" &&
    typeof (value as Partial<AssayError>).category === "string";
}

/** Exit code for an error category, as the CLI documents: 2 for input, 3 for infrastructure. */
export function exitCodeFor(error: unknown): 2 | 3 {
  if (!isAssayError(error)) return 3;
  return error.category === "infrastructure" || error.category === "internal" ? 3 : 2;
}
