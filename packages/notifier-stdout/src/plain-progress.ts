import type { Notifier, RunEvent } from "@assay/ports";
import {
  finishedLine,
  preconditionLine,
  runFinishedLine,
  runStartedLine,
  startedLine,
  stepLine,
  testCaseLabel,
  warningLine,
} from "./lines.js";
import { colorsFor, type OutputStream } from "./terminal.js";

/**
 * Output for logs and pipes: one plain line per event as it happens, no ANSI codes at all.
 * Preconditions and steps only with `verbose`.
 */
export class PlainProgress implements Notifier {
  readonly #stream: OutputStream;
  readonly #verbose: boolean;
  // Never colour: this output goes to files and CI logs.
  readonly #colors = colorsFor(false, {});
  readonly #labels = new Map<string, string>();

  constructor(stream: OutputStream, verbose: boolean) {
    this.#stream = stream;
    this.#verbose = verbose;
  }

  notify(event: RunEvent): void {
    const line = this.#lineFor(event);
    if (line !== undefined) this.#stream.write(`${line}\n`);
  }

  #lineFor(event: RunEvent): string | undefined {
    const c = this.#colors;
    switch (event.type) {
      case "run.started":
        return runStartedLine(event, c);
      case "testcase.started":
        this.#labels.set(event.testCaseId, testCaseLabel(event));
        return startedLine(event, c);
      case "testcase.precondition":
        return this.#verbose ? preconditionLine(event, c) : undefined;
      case "testcase.step":
        return this.#verbose ? stepLine(event, c) : undefined;
      case "testcase.finished":
        return finishedLine(event, c);
      case "warning":
        return warningLine(event, event.testCaseId === null ? undefined : this.#labels.get(event.testCaseId), c);
      case "run.finished":
        this.#labels.clear();
        return runFinishedLine(event, c);
    }
  }

  async close(): Promise<void> {
    // Every line was written as its event arrived.
  }
}
