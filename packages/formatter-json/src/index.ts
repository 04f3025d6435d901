import { definePlugin, type PluginContext } from "@assay/ports";
import { z } from "zod";
import { JsonFormatter } from "./json-formatter.js";

export { JsonFormatter } from "./json-formatter.js";

/** The json formatter takes no options. */
export const JsonFormatterOptions = z.strictObject({});
export type JsonFormatterOptions = z.infer<typeof JsonFormatterOptions>;

/** assay formatter plugin `json`: stored runs and results as indented UTF-8 JSON. */
export default definePlugin({
  kind: "formatter",
  name: "json",
  apiVersion: 1,
  description: "JSON, 2-space indent, trailing newline, UTF-8.",
  optionsSchema: JsonFormatterOptions,
  create: async (_options: JsonFormatterOptions, _context: PluginContext) => new JsonFormatter(),
});
