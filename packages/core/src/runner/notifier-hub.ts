import type { Notifier, RunEvent } from "@assay/ports";

/**
 * Delivers every run event to every notifier, in order, without letting a notifier slow or
 * break the run: deliveries are queued behind the run's work, and a notifier that throws is
 * reported once (as a warning to the others) and not called again.
 */
export class NotifierHub {
  readonly #active: Set<Notifier>;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    notifiers: readonly Notifier[],
    private readonly runId: string,
  ) {
    this.#active = new Set(notifiers);
  }

  emit(event: RunEvent): void {
    this.#queue = this.#queue.then(() => this.#deliver(event));
  }

  async #deliver(event: RunEvent): Promise<void> {
    for (const notifier of [...this.#active]) {
      try {
        await notifier.notify(event);
      } catch (error) {
        this.#active.delete(notifier);
        const name = notifier.constructor?.name && notifier.constructor.name !== "Object" ? notifier.constructor.name : "a notifier";
        const warning: RunEvent = {
          type: "warning",
          at: new Date().toISOString(),
          runId: this.runId,
          testCaseId: null,
          message: `${name} failed and receives no further events: ${error instanceof Error ? error.message : String(error)}`,
        };
        for (const other of this.#active) {
          try {
            await other.notify(warning);
          } catch {
            // A second failure is handled when that notifier's own next delivery fails.
          }
        }
      }
    }
  }

  /** Resolves when every event emitted so far was delivered. */
  async flush(): Promise<void> {
    await this.#queue;
  }
}
