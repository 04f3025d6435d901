import type { BackendError, CallOptions } from "@assay/ports";
import type { DuckDBConnection } from "@duckdb/node-api";
import { cancelledError, isInterrupt, timeoutError, toBackendError } from "./errors.js";

/**
 * Interrupts a connection's running statement when the time limit passes or the caller's
 * signal aborts, and turns the resulting DuckDB error into BACKEND_TIMEOUT.
 */
export class Deadline {
  private reason: "timeout" | "abort" | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.fire("abort");

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(() => this.fire("timeout"), timeoutMs);
    this.timer.unref();
    signal?.addEventListener("abort", this.onAbort, { once: true });
    if (signal?.aborted) this.fire("abort");
  }

  /** True once the connection was interrupted: it must not be reused. */
  get fired(): boolean {
    return this.reason !== null;
  }

  /** Throws right away when the caller has already given up. */
  check(what: string): void {
    if (this.reason === "abort") throw cancelledError(what, this.signal?.reason);
    if (this.reason === "timeout") throw timeoutError(what, this.timeoutMs, undefined);
  }

  private fire(reason: "timeout" | "abort"): void {
    if (this.reason) return;
    this.reason = reason;
    this.connection.interrupt();
  }

  /** The error to report for a failure during the deadline. */
  error(error: unknown, what: string): BackendError {
    if (this.reason === "timeout" && (isInterrupt(error) || error === undefined)) return timeoutError(what, this.timeoutMs, error);
    if (this.reason === "abort") return cancelledError(what, error);
    if (this.reason === "timeout") return timeoutError(what, this.timeoutMs, error);
    return toBackendError(error, { what });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this.onAbort);
  }
}

export type { CallOptions };
