import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { definePlugin, type Notifier, type RunEvent } from "@assay/ports";
import { z } from "zod";

/** Options as users write them under notifiers: [{ use: __NAME__, options: {...} }]. */
export const Options = z.strictObject({
  /** The file events are appended to, one JSON object a line; relative to the project root. */
  path: z.string().min(1).default(".assay/events.jsonl"),
});
export type Options = z.output<typeof Options>;

/** Appends every run event to a JSON-lines file as it happens. */
class JsonLinesNotifier implements Notifier {
  #ready: Promise<unknown>;

  constructor(readonly file: string) {
    this.#ready = mkdir(path.dirname(file), { recursive: true });
  }

  async notify(event: RunEvent): Promise<void> {
    await this.#ready;
    await appendFile(this.file, `${JSON.stringify(event)}\n`);
  }

  async close(): Promise<void> {
    // Every event is on disk when notify() resolves: nothing to flush, and closing twice is fine.
  }
}

export default definePlugin({
  kind: "notifier",
  name: "__NAME__",
  apiVersion: 1,
  description: "Appends run events to a JSON-lines file.",
  optionsSchema: Options,
  // assay validates and defaults the options with optionsSchema before it calls create().
  async create(options: Options, context) {
    return new JsonLinesNotifier(path.resolve(context.projectRoot, options.path));
  },
});
