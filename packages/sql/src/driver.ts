import type { CellValue, Row } from "@assay/ports";

/**
 * The driver seam: the only code that talks to an engine's client library. Everything above it
 * (SQL text, introspection, COMPARE, the Backend port) is engine-neutral. Shaped after kysely's
 * Driver/DatabaseConnection and Effect's per-driver `Connection`: small, statement in, rows out.
 */

/** Where a session runs: a database (catalogue or file) and the schema unqualified names resolve in. */
export interface SessionTarget {
  database: string;
  schema: string;
}

/** A result column as the engine names it, before harmonising. */
export interface NativeColumn {
  name: string;
  nativeType: string;
}

/** Parameters are bound, never spliced into SQL text. */
export type Param = Exclude<CellValue, null> | null;

/**
 * One read-only session on one connection. `signal` (given to Driver.open) fires on the caller's
 * abort and on the deadline: the driver then cancels whatever runs, whether it is being prepared
 * or executing, so the engine stops working; the kit itself already rejects the call at that
 * moment (see deadline.ts), so a cancel the engine misses cannot hang a caller.
 */
export interface Session {
  /** Runs SQL assay generated and returns every row (small results: catalogue reads, counts, plans). */
  all(sql: string, params?: readonly Param[]): Promise<Row[]>;
  /** Streams the rows of a query in batches; stopping early (return()) frees the statement. */
  stream(sql: string, params?: readonly Param[]): AsyncIterable<Row[]>;
  /** The result columns of a query, without running it. */
  describe(sql: string): Promise<NativeColumn[]>;
  /**
   * Checks that user SQL is one read-only query (SELECT and its forms) before anything runs, and
   * throws BACKEND_READ_ONLY naming the kind of statement otherwise. `explain`: EXPLAIN of a
   * query is allowed too (query() only; never embedded). An engine whose session is read-only
   * by itself (a READ ONLY transaction) may leave this to the engine and return at once.
   */
  checkReadOnly(sql: string, what: string, explain: boolean): Promise<void>;
}

export interface DriverSession extends Session {
  /**
   * Gives the connection back. `discard`: the call was cancelled or failed fatally, so the
   * connection is closed instead of reused, once any native call on it has settled. Never throws.
   */
  release(discard: boolean): Promise<void>;
}

export interface Driver {
  /** The engine's name in messages, e.g. "DuckDB". */
  readonly engine: string;
  /** How native errors become AssayError codes (errors.ts). */
  readonly errors: ErrorTable;
  /**
   * Opens a read-only session at the target (from a pool). Rejects with an AssayError: an unknown
   * database or schema as BACKEND_OBJECT_NOT_FOUND, a refused login as BACKEND_AUTH.
   */
  open(target: SessionTarget, signal: AbortSignal): Promise<DriverSession>;
  /** Closes every connection; idempotent, never throws, never waits on a running statement. */
  close(): Promise<void>;
}

/** The codes a native error can map to; BACKEND_TIMEOUT and BACKEND_CLOSED come from the kit. */
export type NativeErrorCode =
  | "BACKEND_UNREACHABLE"
  | "BACKEND_AUTH"
  | "BACKEND_QUERY"
  | "BACKEND_TIMEOUT"
  | "BACKEND_READ_ONLY"
  | "BACKEND_OBJECT_NOT_FOUND"
  | "BACKEND_CLOSED";

/** What the kit knows when it classifies an error. */
export interface ErrorScene {
  /** What was being done, e.g. "COMPARE of orders at d/s/i". */
  what: string;
  /** The user's SQL, when the failing statement embeds it. */
  userSql?: string | undefined;
  /** Where the call ran. */
  target?: SessionTarget | undefined;
}

/**
 * One row of a driver's error table: the first row whose `match` is true classifies the error.
 * `fatal`: the connection (or the whole session) cannot be trusted afterwards and is discarded.
 */
export interface ErrorRule {
  code: NativeErrorCode;
  fatal: boolean;
  match(error: NativeError, scene: ErrorScene): boolean;
  /** The message the user reads; default: `${what} failed in ${engine}: ${message}`. */
  message?(error: NativeError, scene: ErrorScene): string;
  fix?: string;
}

/** A native error reduced to what rules look at: an SQLSTATE or errno code and the message. */
export interface NativeError {
  code: string | undefined;
  message: string;
  cause: unknown;
}

export interface ErrorTable {
  rules: readonly ErrorRule[];
  /** Scrubs secrets from every message and cause (passwords, URL credentials). */
  scrub?(text: string): string;
}
