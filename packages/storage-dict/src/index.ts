import { StorageError, definePlugin, schemeOf, type StorageContext } from "@assay/ports";
import { z } from "zod";
import { DictStorage } from "./dict-storage.js";

export { DictStorage } from "./dict-storage.js";

/** The dict storage takes no options. */
export const DictStorageOptions = z.strictObject({});
export type DictStorageOptions = z.infer<typeof DictStorageOptions>;

/**
 * assay storage plugin `dict`: serves `memory:<name>` locations from a Map inside each
 * instance. Data lives as long as the instance; nothing is written to disk.
 */
export default definePlugin({
  kind: "storage",
  name: "dict",
  apiVersion: 1,
  description: "In-memory storage, isolated per instance (memory: locations).",
  schemes: ["memory"],
  optionsSchema: DictStorageOptions,
  create: async (_options: DictStorageOptions, context: StorageContext) => {
    if (schemeOf(context.location) !== "memory") {
      throw new StorageError("STORAGE_LOCATION_INVALID", `The dict storage serves memory: locations, not ${JSON.stringify(context.location)}`, {
        where: { key: "storage" },
        expected: "a location such as memory:results",
        fix: "Use a memory: location, or a storage plugin that serves this scheme.",
      });
    }
    return new DictStorage(context.location);
  },
});
