import type { PluginContext } from "./backend.js";

/** Serialises stored objects (runs, results). parse(serialize(x)) deep-equals x for JSON data. */
export interface Formatter {
  readonly name: string;
  /** File extension without the dot, e.g. `json`. */
  readonly extension: string;
  readonly mediaType: string;
  serialize(value: unknown): Uint8Array;
  /** Throws AssayError FORMAT_INVALID for bytes it cannot read. */
  parse(data: Uint8Array): unknown;
}

export const FORMATTER_METHODS = ["serialize", "parse"] as const;

export interface FormatterFactory<Options = unknown> {
  create(options: Options, context: PluginContext): Promise<Formatter>;
}
