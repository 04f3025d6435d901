import type { Notifier } from "@assay/ports";
import { LiveProgress } from "./live-progress.js";
import { PlainProgress } from "./plain-progress.js";
import { colorsFor, type OutputStream } from "./terminal.js";

export interface StdoutNotifierSettings {
  verbose: boolean;
}

export interface StdoutNotifierIO {
  stream: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds clock for elapsed times and throttling; default Date.now. */
  now?: () => number;
}

/**
 * The notifier for a given stream: live progress on a terminal, plain lines otherwise. The
 * plugin passes process streams; tests pass a recording stream.
 */
export function createStdoutNotifier(settings: StdoutNotifierSettings, io: StdoutNotifierIO): Notifier {
  if (io.stream.isTTY !== true) return new PlainProgress(io.stream, settings.verbose, io.env);
  return new LiveProgress(io.stream, {
    verbose: settings.verbose,
    colors: colorsFor(true, io.env),
    now: io.now ?? (() => Date.now()),
  });
}
