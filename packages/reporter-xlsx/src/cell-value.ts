const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]00(:?00)?)?$/;

/**
 * A stored value as a spreadsheet cell: numbers as numbers (decimals arrive as exact strings;
 * they become numbers when a double holds them exactly enough, 15 significant digits), ISO dates
 * and UTC timestamps as dates, everything else as text. A text with leading zeros stays text.
 */
export function spreadsheetValue(value: unknown): string | number | boolean | Date | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value !== "string") return JSON.stringify(value);
  if (DECIMAL.test(value) && value.replace(/^-|\./g, "").replace(/^0+/, "").length <= 15) return Number(value);
  const date = DATE.exec(value);
  if (date) {
    const d = new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])));
    if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(value)) return d;
  }
  const ts = TIMESTAMP.exec(value);
  if (ts) {
    const ms = ts[7] ? Number(ts[7].slice(0, 4).padEnd(4, "0").slice(1)) : 0;
    const d = new Date(Date.UTC(Number(ts[1]), Number(ts[2]) - 1, Number(ts[3]), Number(ts[4]), Number(ts[5]), Number(ts[6]), ms));
    if (!Number.isNaN(d.getTime())) return d;
  }
  return value;
}
