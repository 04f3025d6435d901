import type { CellValue } from "@assay/ports";

/* Engine text as assay's cell values, for drivers that receive values as text; other values pass through. */

/** `2024-01-02 00:00:01.500000` → `2024-01-02T00:00:01.5`: ISO, fractional seconds without the padding zeros. */
export const isoTimestamp = (v: unknown): CellValue => (typeof v === "string" ? v.replace(" ", "T").replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "") : (v as CellValue));

/** A 64-bit or wider integer sent as text: a number where that is exact, else the text. */
export const safeInteger = (v: unknown): CellValue => (typeof v === "string" && Number.isSafeInteger(Number(v)) ? Number(v) : (v as CellValue));

const SPECIAL = new Map([["nan", "NaN"], ["inf", "Infinity"], ["+inf", "Infinity"], ["-inf", "-Infinity"]]);

/** NaN and the infinities spelt as on every engine (`NaN`, `Infinity`, `-Infinity`), not `nan` or `inf`. */
export const specialFloat = (v: unknown): CellValue => (typeof v === "string" ? (SPECIAL.get(v) ?? v) : (v as CellValue));
