import { BackendError } from "@assay/ports";

/**
 * One signal per call that fires on the caller's abort or when the time limit passes, and the
 * error the call then ends with. The kit races every step of a call against this signal, so the
 * call ends by its deadline even when the engine misses the cancel (a cancel landing while a
 * statement is still being prepared, issue 14): the driver discards that connection later.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = (): void => this.fire("abort");
  private reason: "abort" | "timeout" | "ended" | null = null;
  private ending: BackendError | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly caller: AbortSignal | undefined,
    private readonly what: string,
  ) {
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => this.fire("timeout"), timeoutMs);
    this.timer.unref();
    caller?.addEventListener("abort", this.onAbort, { once: true });
    if (caller?.aborted) this.fire("abort");
  }

  get fired(): boolean {
    return this.reason !== null;
  }

  /** Ends the call from outside (the backend closes under it) with that error. */
  end(error: BackendError): void {
    this.ending = error;
    this.fire("ended");
  }

  private fire(reason: "abort" | "timeout" | "ended"): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(this.error());
  }

  /** BACKEND_TIMEOUT, saying whether the limit passed or the caller gave up. */
  error(): BackendError {
    if (this.reason === "ended" && this.ending) return this.ending;
    if (this.reason === "timeout") {
      return new BackendError("BACKEND_TIMEOUT", `${this.what} ran longer than the time limit of ${this.timeoutMs} ms and was cancelled`, {
        fix: "Make the query cheaper, or raise the backend option timeoutMs.",
      });
    }
    const why: unknown = this.caller?.reason;
    const text = why instanceof Error ? why.message : typeof why === "string" ? why : "";
    return new BackendError("BACKEND_TIMEOUT", `${this.what} was cancelled because the call was aborted${text ? ` (${text})` : ""}`, { cause: why });
  }

  /** Settles with `work`, or rejects with the deadline's error the moment the signal fires. */
  race<T>(work: Promise<T>): Promise<T> {
    work.catch(() => undefined);
    if (this.fired) return Promise.reject(this.error());
    return new Promise<T>((resolve, reject) => {
      const stop = (): void => reject(this.error());
      this.signal.addEventListener("abort", stop, { once: true });
      work.then(resolve, reject).finally(() => this.signal.removeEventListener("abort", stop));
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener("abort", this.onAbort);
  }
}
