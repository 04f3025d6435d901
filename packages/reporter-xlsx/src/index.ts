import { definePlugin, type ReporterPlugin } from "@assay/ports";
import { XlsxOptions, XlsxReporter } from "./xlsx-reporter.js";

export { XlsxOptions, XlsxReporter } from "./xlsx-reporter.js";
export { spreadsheetValue } from "./cell-value.js";

/** Reporter `xlsx`: a workbook for business readers. */
const plugin: ReporterPlugin<XlsxOptions> = definePlugin({
  kind: "reporter",
  name: "xlsx",
  apiVersion: 1,
  description: "an Excel workbook: a summary sheet and the differing rows of each failing COMPARE",
  optionsSchema: XlsxOptions,
  async create(options: XlsxOptions) {
    return new XlsxReporter(options);
  },
});
export default plugin;
