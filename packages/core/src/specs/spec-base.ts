import { ConfigError, isAssayError } from "@assay/ports";
import { invalidUtf8Offset } from "../text-file.js";
import type { SchemaSpec, Spec, SpecType, SqlSpec, StagecountSpec } from "../model.js";

/** What every spec knows before it is parsed: whose it is and where it lives. */
export interface SpecOrigin {
  object: string;
  scenario: string | null;
  /** Relative to the project root, '/'-separated. */
  path: string;
}

/** A spec of `type` that carries only an error: its test case becomes N/A with this message. */
export function failedSpec(type: SpecType, origin: SpecOrigin, error: string): Spec {
  const base = { ...origin, error };
  switch (type) {
    case "schema":
      return { type, ...base, columns: null, primaryKeys: null, partitioning: null, clustering: null } satisfies SchemaSpec;
    case "compare":
    case "rowcount":
      return { type, ...base, sql: null } satisfies SqlSpec;
    case "stagecount":
      return { type, ...base, format: null, encoding: null, headerLines: null, delimiter: null } satisfies StagecountSpec;
  }
}

/** The message a parse failure leaves in spec.error: located when the error knows where. */
export function errorText(error: unknown): string {
  if (isAssayError(error)) return error.toParagraph();
  return error instanceof Error ? error.message : String(error);
}

/** Decodes UTF-8 strictly (a latin-1 file is an error, not mojibake) and drops a BOM. */
export function decodeUtf8(bytes: Uint8Array): string {
  const offset = invalidUtf8Offset(bytes);
  if (offset < 0) return new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
  const byte = bytes[offset];
  throw new ConfigError("SPEC_INVALID", `The file is not valid UTF-8 text: ${byte === undefined ? "it ends inside a character" : `byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")}`} at byte offset ${offset}`, {
    expected: "a UTF-8 encoded text file",
    fix: "Save the file as UTF-8.",
  });
}
