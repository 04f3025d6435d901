import { AssayError } from "@assay/ports";

/**
 * Which encodings the record counter handles, and how a file's byte-order mark decides.
 *
 * The counter works on bytes: it looks only for `"` (0x22) and LF (0x0A). That is exact for
 * every encoding in which those bytes never occur inside another character: ASCII, UTF-8, the
 * ISO-8859 family and the Windows-125x code pages. UTF-16 files are transcoded to UTF-8 on the
 * fly (slower, still streamed). Anything else (UTF-32, Shift_JIS, EBCDIC, ...) is refused.
 */

/** How the bytes of a file reach the counter. */
export type ByteLayout =
  /** Counted as they are; `label` is the WHATWG label used to decode the header record. */
  | { kind: "ascii"; label: string; name: string }
  | { kind: "utf-16le"; name: string }
  | { kind: "utf-16be"; name: string };

/** User spelling (lower case, `_` read as `-`) → the WHATWG decoder label. */
const ASCII_COMPATIBLE: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  ascii: "utf-8",
  "us-ascii": "utf-8",
  "latin-1": "latin1",
  latin1: "latin1",
};
for (let n = 1; n <= 16; n++) if (n !== 12) ASCII_COMPATIBLE[`iso-8859-${n}`] = `iso-8859-${n}`;
ASCII_COMPATIBLE["iso-8859-1"] = "latin1";
for (let n = 1250; n <= 1258; n++) {
  ASCII_COMPATIBLE[`windows-${n}`] = `windows-${n}`;
  ASCII_COMPATIBLE[`cp${n}`] = `windows-${n}`;
}
const UTF16 = new Set(["utf-16", "utf16", "utf-16le", "utf16le", "utf-16be", "utf16be"]);

export const SUPPORTED_ENCODINGS_TEXT =
  "utf-8, ascii, latin-1 (iso-8859-1) and the other iso-8859-N, windows-1250 to windows-1258, utf-16 (byte-order mark decides, else little-endian), utf-16le, utf-16be";

const normal = (encoding: string) => encoding.trim().toLowerCase().replace(/_/g, "-");

export function isSupportedEncoding(encoding: string): boolean {
  const key = normal(encoding);
  return key in ASCII_COMPATIBLE || UTF16.has(key);
}

type Bom = "utf-8" | "utf-16le" | "utf-16be" | null;

/** The byte-order mark at the start of a file, and its length. */
export function detectBom(head: Uint8Array): { bom: Bom; length: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { bom: "utf-8", length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { bom: "utf-16le", length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { bom: "utf-16be", length: 2 };
  return { bom: null, length: 0 };
}

function refuse(file: string, message: string, fix: string): AssayError {
  return new AssayError("RAW_FILE_REFUSED", `Raw file ${file}: ${message}`, { expected: SUPPORTED_ENCODINGS_TEXT, fix });
}

/**
 * The layout of a file from its declared encoding (spec or config; undefined when neither says)
 * and its byte-order mark. A BOM decides when nothing is declared; a declared encoding that
 * contradicts a UTF-16 BOM is refused rather than counted wrongly.
 */
export function byteLayout(file: string, declared: string | undefined, head: Uint8Array): ByteLayout {
  const { bom } = detectBom(head);
  if (declared === undefined) {
    if (bom === "utf-16le" || bom === "utf-16be") return { kind: bom, name: bom };
    return { kind: "ascii", label: "utf-8", name: "utf-8" };
  }
  const key = normal(declared);
  const label = ASCII_COMPATIBLE[key];
  if (label) {
    if (bom === "utf-16le" || bom === "utf-16be") {
      throw refuse(file, `it starts with a ${bom.toUpperCase()} byte-order mark, but its encoding is set to ${declared}`, "Set encoding: utf-16 in the stagecount spec, or remove the byte-order mark.");
    }
    return { kind: "ascii", label, name: key };
  }
  if (UTF16.has(key)) {
    const wanted = key.endsWith("le") ? "utf-16le" : key.endsWith("be") ? "utf-16be" : null;
    if (bom === "utf-8") throw refuse(file, `it starts with a UTF-8 byte-order mark, but its encoding is set to ${declared}`, "Set encoding: utf-8.");
    if (wanted && bom && bom !== wanted) {
      throw refuse(file, `it starts with a ${bom.toUpperCase()} byte-order mark, but its encoding is set to ${declared}`, `Set encoding: ${bom}, or utf-16 to let the mark decide.`);
    }
    const kind = wanted ?? (bom === "utf-16be" ? "utf-16be" : "utf-16le");
    return { kind, name: kind };
  }
  throw refuse(file, `assay does not count files in encoding ${JSON.stringify(declared)}`, "Convert the files to UTF-8, or correct `encoding` in the stagecount spec or in rawFiles.file of assay.config.yaml.");
}
