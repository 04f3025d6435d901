import { AssayError, definePlugin, type Formatter } from "@assay/ports";
import { z } from "zod";

/** Options as users write them under format: (the selected formatter's name is "__NAME__"). */
export const Options = z.strictObject({
  /** Spaces of indentation in stored files; 0 writes one line per object. */
  indent: z.number().int().min(0).max(8).default(2),
});
export type Options = z.output<typeof Options>;

/** Stores runs and results as indented JSON, readable in any editor. */
class IndentedJsonFormatter implements Formatter {
  readonly name = "__NAME__";
  readonly extension = "json";
  readonly mediaType = "application/json";
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(readonly indent: number) {}

  serialize(value: unknown): Uint8Array {
    return new TextEncoder().encode(`${JSON.stringify(value, null, this.indent)}\n`);
  }

  parse(data: Uint8Array): unknown {
    try {
      return JSON.parse(this.#decoder.decode(data));
    } catch (cause) {
      throw new AssayError("FORMAT_INVALID", `Stored data is not valid UTF-8 JSON: ${cause instanceof Error ? cause.message : String(cause)}`, {
        fix: "The file was changed or truncated outside assay; delete it or restore it from a backup.",
        cause,
      });
    }
  }
}

export default definePlugin({
  kind: "formatter",
  name: "__NAME__",
  apiVersion: 1,
  description: "Indented JSON.",
  optionsSchema: Options,
  // assay validates and defaults the options with optionsSchema before it calls create().
  async create(options: Options, _context) {
    return new IndentedJsonFormatter(options.indent);
  },
});
