/**
 * Ctrl-C during a run: the first one aborts (no new test case starts, the run is stored as
 * ABORTED); the second exits at once.
 */
export function interruptOnCtrlC(onFirst: () => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    onFirst();
    controller.abort();
  };
  process.on("SIGINT", handler);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", handler) };
}
