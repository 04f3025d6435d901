import { definePlugin, type ReporterPlugin } from "@assay/ports";
import { HtmlOptions, HtmlReporter } from "./html-reporter.js";

export { HtmlOptions, HtmlReporter, esc } from "./html-reporter.js";

/** Reporter `html`: one self-contained page with filters and the differing rows. */
const plugin: ReporterPlugin<HtmlOptions> = definePlugin({
  kind: "reporter",
  name: "html",
  apiVersion: 1,
  description: "one self-contained HTML page with filters and differing rows",
  optionsSchema: HtmlOptions,
  async create(options: HtmlOptions) {
    return new HtmlReporter(options);
  },
});
export default plugin;
