import { definePlugin, type StorageContext } from "@assay/ports";
import { z } from "zod";
import { FileStorage } from "./file-storage.js";
import { rootOf } from "./location.js";

export { FileStorage } from "./file-storage.js";

/** The file storage takes no options: the location names the folder. */
export const FileStorageOptions = z.strictObject({});
export type FileStorageOptions = z.infer<typeof FileStorageOptions>;

/**
 * assay storage plugin `file`: serves `file:<folder>` locations (relative to the project root,
 * or `file:///absolute/folder`) with atomic writes. The folder is created on the first write.
 */
export default definePlugin({
  kind: "storage",
  name: "file",
  apiVersion: 1,
  description: "Local files with atomic writes (file: locations).",
  schemes: ["file"],
  optionsSchema: FileStorageOptions,
  create: async (_options: FileStorageOptions, context: StorageContext) =>
    new FileStorage(context.location, rootOf(context.location, context.projectRoot)),
});
