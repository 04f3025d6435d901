import { definePlugin, type ReporterPlugin } from "@assay/ports";
import { JunitOptions, JunitReporter } from "./junit-reporter.js";

export { JunitOptions, JunitReporter, diffText } from "./junit-reporter.js";
export { escapeAttribute, escapeText, xmlSafe } from "./xml-text.js";

/** Reporter `junit`: JUnit XML for CI. */
const plugin: ReporterPlugin<JunitOptions> = definePlugin({
  kind: "reporter",
  name: "junit",
  apiVersion: 1,
  description: "JUnit XML for CI (GitHub, GitLab, Jenkins)",
  optionsSchema: JunitOptions,
  async create(options: JunitOptions) {
    return new JunitReporter(options);
  },
});
export default plugin;
