import { AssayError, type Formatter } from "@assay/ports";

/**
 * JSON with a 2-space indent and a trailing newline, UTF-8: stored files stay readable and
 * diff well in version control.
 */
export class JsonFormatter implements Formatter {
  readonly name = "json";
  readonly extension = "json";
  readonly mediaType = "application/json";

  readonly #encoder = new TextEncoder();
  // fatal: bytes that are not UTF-8 are refused rather than silently replaced with U+FFFD.
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });

  serialize(value: unknown): Uint8Array {
    let text: string | undefined;
    try {
      text = JSON.stringify(value, null, 2);
    } catch (cause) {
      // Circular structures and bigint values: a caller's bug, never the user's data.
      throw new AssayError("INTERNAL", `The json formatter cannot serialise this value: ${messageOf(cause)}`, {
        expected: "plain JSON data (objects, arrays, strings, finite numbers, booleans, null)",
        cause,
      });
    }
    if (text === undefined) {
      throw new AssayError("INTERNAL", `The json formatter cannot serialise a value of type ${typeof value}`, {
        expected: "plain JSON data (objects, arrays, strings, finite numbers, booleans, null)",
      });
    }
    return this.#encoder.encode(`${text}\n`);
  }

  parse(data: Uint8Array): unknown {
    let text: string;
    try {
      text = this.#decoder.decode(data);
    } catch (cause) {
      throw new AssayError("FORMAT_INVALID", `Stored data is not valid UTF-8: ${messageOf(cause)}`, {
        expected: "a UTF-8 encoded JSON document",
        fix: "The stored file is damaged or was not written by assay; restore it or remove it.",
        cause,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new AssayError("FORMAT_INVALID", `Stored data is not valid JSON: ${messageOf(cause)}`, {
        expected: "a JSON document",
        fix: "The stored file is damaged or was not written by assay; restore it or remove it.",
        cause,
      });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
