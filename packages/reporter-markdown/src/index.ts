import { definePlugin, type ReporterPlugin } from "@assay/ports";
import { MarkdownOptions, MarkdownReporter } from "./markdown-reporter.js";

export { MarkdownOptions, MarkdownReporter } from "./markdown-reporter.js";

/** Reporter `markdown`: GitHub step summaries and pull-request comments. */
const plugin: ReporterPlugin<MarkdownOptions> = definePlugin({
  kind: "reporter",
  name: "markdown",
  apiVersion: 1,
  description: "Markdown for GitHub step summaries and pull-request comments",
  optionsSchema: MarkdownOptions,
  async create(options: MarkdownOptions) {
    return new MarkdownReporter(options);
  },
});
export default plugin;
