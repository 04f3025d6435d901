import type { Notifier, RunEvent, RunEventOf, RunEventType } from "@assay/ports";

export interface MemoryNotifierOptions {
  /** Keep at most this many events; the oldest are dropped first. Absent: keep every event. */
  limit?: number;
}

/**
 * Keeps every run event in arrival order, for tests and for library users who want a run's
 * events as data. Events stay readable after close(), which the runner calls at the end of a run.
 */
export class MemoryNotifier implements Notifier {
  readonly #events: RunEvent[] = [];
  readonly #limit: number | undefined;

  constructor(options: MemoryNotifierOptions = {}) {
    this.#limit = options.limit;
  }

  /** The events received, oldest first. */
  get events(): readonly RunEvent[] {
    return this.#events;
  }

  /** The events of one type, oldest first, typed by that type. */
  ofType<T extends RunEventType>(type: T): RunEventOf<T>[] {
    return this.#events.filter((event): event is RunEventOf<T> => event.type === type);
  }

  /** Forgets every event received so far. */
  clear(): void {
    this.#events.length = 0;
  }

  notify(event: RunEvent): void {
    this.#events.push(event);
    if (this.#limit !== undefined && this.#events.length > this.#limit) {
      this.#events.splice(0, this.#events.length - this.#limit);
    }
  }

  async close(): Promise<void> {
    // Nothing to release: the events are the product.
  }
}
