import { RunInterrupted } from "@assay/core";

/** What the first Ctrl-C or SIGTERM prints, and what a second Ctrl-C prints before exiting. */
export interface InterruptMessages {
  first: (what: string) => string;
  second: string;
}

const MESSAGES: InterruptMessages = {
  first: (what) =>
    `\n${what}: stopping. Running test cases are cancelled (their queries too), no new one starts, and the run is stored as ABORTED. Press Ctrl-C again to exit at once.`,
  second: "\nExiting at once. The results stored so far stay; assay show and assay list runs mark the run as interrupted.",
};

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: the first one aborts the returned signal with a
 * RunInterrupted (the runner cancels the running test cases and stores the run as ABORTED);
 * a second one exits at once (130 for SIGINT, 143 for SIGTERM), leaving the store valid because
 * every write to it is atomic.
 */
export function interruptOnSignals(say: (text: string) => void, messages: InterruptMessages = MESSAGES): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      say(messages.second);
      process.exit(name === "SIGTERM" ? 143 : 130);
    }
    const what = name === "SIGINT" ? "Ctrl-C" : name;
    say(messages.first(what));
    controller.abort(new RunInterrupted(what));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
