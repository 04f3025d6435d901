import { randomBytes } from "node:crypto";

/**
 * Run ids sort by time as text (`20260102T030405678Z-3f9a1c`), so the newest run is the
 * greatest key without reading any file; the random tail keeps concurrent runs apart.
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

const RUN_ID = /^(\d{4})(\d{2})(\d{2})T\d{9}Z-[0-9a-z]+$/;

/** `YYYY-MM-DD` of a time-sortable run id, or null for an id of another shape. */
export function runIdDate(runId: string): string | null {
  const m = RUN_ID.exec(runId);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** A storage-safe name segment: lower-case letters, digits, '_', '.', '-'. */
export function slug(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^[-.]+|-+$/g, "");
  return s === "" ? "unnamed" : s.slice(0, 80);
}
