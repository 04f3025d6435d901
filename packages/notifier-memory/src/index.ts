import { definePlugin, type PluginContext } from "@assay/ports";
import { z } from "zod";
import { MemoryNotifier } from "./memory-notifier.js";

export { MemoryNotifier } from "./memory-notifier.js";

export const MemoryNotifierOptions = z.strictObject({
  /** Keep at most this many events, dropping the oldest. Absent: keep every event. */
  limit: z.number().int().positive().optional(),
});
export type MemoryNotifierOptions = z.infer<typeof MemoryNotifierOptions>;

/**
 * assay notifier plugin `memory`: keeps run events in memory. `create()` resolves to a
 * MemoryNotifier, so code that creates it directly can read `events` after the run.
 */
export default definePlugin({
  kind: "notifier",
  name: "memory",
  apiVersion: 1,
  description: "Keeps run events in memory, for tests and library users.",
  optionsSchema: MemoryNotifierOptions,
  create: async (options: MemoryNotifierOptions, _context: PluginContext) => new MemoryNotifier(options),
});
