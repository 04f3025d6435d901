import { definePlugin, type PluginContext } from "@assay/ports";
import { z } from "zod";
import { createStdoutNotifier } from "./stdout-notifier.js";

export const StdoutNotifierOptions = z.strictObject({
  /** Which process stream to write to. */
  stream: z.enum(["stdout", "stderr"]).default("stdout"),
  /** Also print precondition checks and timed steps. */
  verbose: z.boolean().default(false),
});
export type StdoutNotifierOptions = z.input<typeof StdoutNotifierOptions>;

/**
 * assay notifier plugin `stdout`: live progress on a terminal (redrawn in place), one plain
 * line per event when the output is not a terminal. Honours NO_COLOR and FORCE_COLOR=0.
 */
export default definePlugin({
  kind: "notifier",
  name: "stdout",
  apiVersion: 1,
  description: "Live progress on a terminal, one line per event otherwise.",
  optionsSchema: StdoutNotifierOptions,
  create: async (options: z.output<typeof StdoutNotifierOptions>, _context: PluginContext) =>
    createStdoutNotifier(
      { verbose: options.verbose },
      { stream: options.stream === "stderr" ? process.stderr : process.stdout, env: process.env },
    ),
});
