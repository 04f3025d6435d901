/**
 * Exact decimal arithmetic for cell values. Engines hand decimals over as strings
 * ("12345678901234567890.12"), which a JS number would round; comparing them exactly (and
 * applying a tolerance exactly) needs a scaled bigint.
 */
export interface Decimal {
  /** The value times 10^scale. */
  units: bigint;
  scale: number;
}

const DECIMAL_TEXT = /^\s*([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?\s*$/;

/** Parses a number or a decimal string; null for anything else (NaN, Infinity, text). */
export function parseDecimal(value: unknown): Decimal | null {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === "string") text = value;
  else return null;
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return null;
  const [, sign, body, exponent] = match;
  const [whole = "", fraction = ""] = body!.split(".");
  let scale = fraction.length - Number(exponent ?? 0);
  let digits = `${whole}${fraction}` || "0";
  if (scale < 0) {
    digits += "0".repeat(-scale);
    scale = 0;
  }
  const units = BigInt(digits) * (sign === "-" ? -1n : 1n);
  return { units, scale };
}

function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** |a − b| ≤ tolerance, exactly. */
export function withinTolerance(a: Decimal, b: Decimal, tolerance: Decimal): boolean {
  const scale = Math.max(a.scale, b.scale, tolerance.scale);
  let diff = rescale(a, scale) - rescale(b, scale);
  if (diff < 0n) diff = -diff;
  return diff <= rescale(tolerance, scale);
}

/** The shortest exact text of a decimal ("10.50" → "10.5", "-0" → "0"): equal values, equal text. */
export function canonicalDecimal(d: Decimal): string {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
