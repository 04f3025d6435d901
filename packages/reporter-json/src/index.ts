import { definePlugin, type ReporterPlugin } from "@assay/ports";
import { JsonReporter, JsonReportOptions } from "./json-reporter.js";

export { JsonReporter, JsonReportOptions } from "./json-reporter.js";

/** Reporter `json`: runs and their results as one JSON document, as `assay run --json` prints them. */
const plugin: ReporterPlugin<JsonReportOptions> = definePlugin({
  kind: "reporter",
  name: "json",
  apiVersion: 1,
  description: "runs and their results as one JSON document",
  optionsSchema: JsonReportOptions,
  async create() {
    return new JsonReporter();
  },
});
export default plugin;
