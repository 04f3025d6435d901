import type { Notifier, RunEvent } from "@assay/ports";
import { DEFAULT_CALL_TIMEOUT_MS, withDeadline } from "./deadline.js";
import { describeError } from "./errors.js";

export interface NotifierHubOptions {
  /** Deadline of one delivery; a notifier that misses it is dropped. Default 60 s. */
  timeoutMs?: number;
  /** What a warning calls a notifier (the config's `use:` name); default its class name. */
  nameOf?: (notifier: Notifier) => string | undefined;
}

/** How a warning names a notifier. */
export function notifierLabel(notifier: Notifier, nameOf?: (notifier: Notifier) => string | undefined): string {
  const given = nameOf?.(notifier);
  if (given) return `notifier "${given}"`;
  const cls = (notifier as { constructor?: { name?: string } }).constructor?.name;
  return cls && cls !== "Object" ? `notifier ${cls}` : "a notifier";
}

/**
 * Delivers every run event to every notifier, in order, without letting a notifier slow or
 * break the run: deliveries are queued behind the run's work, each is bounded by a deadline,
 * and a notifier that throws or misses the deadline is named in a warning (to the others) and
 * not called again.
 */
export class NotifierHub {
  readonly #active: Set<Notifier>;
  readonly #timeoutMs: number;
  readonly #nameOf: ((notifier: Notifier) => string | undefined) | undefined;
  #queue: Promise<void> = Promise.resolve();
  /** Warnings about dropped notifiers, for callers that report them after the run. */
  readonly failures: string[] = [];

  constructor(
    notifiers: readonly Notifier[],
    private readonly runId: string,
    options: NotifierHubOptions = {},
  ) {
    this.#active = new Set(notifiers);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#nameOf = options.nameOf;
  }

  emit(event: RunEvent): void {
    this.#queue = this.#queue.then(() => this.#deliver(event));
  }

  #call(notifier: Notifier, event: RunEvent): Promise<void> {
    const what = `The ${notifierLabel(notifier, this.#nameOf)}`;
    let work: Promise<void> | void;
    try {
      work = notifier.notify(event);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return withDeadline(work, this.#timeoutMs, `${what} (event ${event.type})`);
  }

  async #deliver(event: RunEvent): Promise<void> {
    for (const notifier of [...this.#active]) {
      try {
        await this.#call(notifier, event);
      } catch (error) {
        this.#active.delete(notifier);
        const message = `The ${notifierLabel(notifier, this.#nameOf)} failed and receives no further events: ${describeError(error)}`;
        this.failures.push(message);
        const warning: RunEvent = { type: "warning", at: new Date().toISOString(), runId: this.runId, testCaseId: null, message };
        for (const other of [...this.#active]) {
          try {
            await this.#call(other, warning);
          } catch {
            // A second failure is handled when that notifier's own next delivery fails.
          }
        }
      }
    }
  }

  /** Resolves when every event emitted so far was delivered (or its notifier dropped). */
  async flush(): Promise<void> {
    await this.#queue;
  }
}
