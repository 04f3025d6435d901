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
 * Output for logs and pipes: one line per event as it happens, never a cursor movement; colour
 * only when FORCE_COLOR asks for it (a CI log that renders ANSI). Preconditions and steps only
 * with `verbose`.
 */
export class PlainProgress implements Notifier {
  readonly #stream: OutputStream;
  readonly #verbose: boolean;
  readonly #colors: ReturnType<typeof colorsFor>;
  readonly #labels = new Map<string, string>();

  constructor(stream: OutputStream, verbose: boolean, env: Readonly<Record<string, string | undefined>> = {}) {
    this.#stream = stream;
    this.#verbose = verbose;
    // Files and CI logs get no colour unless FORCE_COLOR says they render it.
    this.#colors = colorsFor(false, env);
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
