import { definePlugin, type PluginContext } from "@assay/ports";
import { z } from "zod";
import { DummyBackend } from "./dummy-backend.js";

export { DummyBackend, DUMMY_TABLE } from "./dummy-backend.js";

export const DummyBackendOptions = z.strictObject({
  /** Simulated latency of every call in milliseconds (default 0); an aborted signal cuts it short. */
  delayMs: z.number().int().min(0).max(600_000).default(0),
});
export type DummyBackendOptions = z.input<typeof DummyBackendOptions>;

/**
 * assay backend plugin `dummy`: fixed, documented answers for tests, no engine. Every
 * coordinate holds the contract fixture table `assay_contract_orders` (see the README).
 */
export default definePlugin({
  kind: "backend",
  name: "dummy",
  apiVersion: 1,
  description: "Fixed answers for tests: the contract fixture table at every coordinate.",
  optionsSchema: DummyBackendOptions,
  create: async (options: z.output<typeof DummyBackendOptions>, _context: PluginContext) => new DummyBackend(options),
});
