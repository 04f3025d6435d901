import { createHash } from "node:crypto";
import type { SqlSpec } from "../model.js";
import type { TestCaseContext } from "./types.js";

/** At most this many characters of a spec's SQL are stored with each result. */
export const QUERY_EXCERPT_CHARS = 2000;

/** The first `max` characters of `text`, saying how much was left out and where the rest is. */
export function excerpt(text: string, max: number, whole: string): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters; the whole text is in ${whole})`;
}

/**
 * What a result keeps of a SQL spec: its path (a fact of the test type), a SHA-256 of its text
 * (so a report can tell which version ran) and a bounded excerpt, never the whole file: a
 * 50 MB spec would otherwise be copied into every stored result and every --json.
 */
export function recordQuery(ctx: Pick<TestCaseContext, "detail">, spec: SqlSpec): void {
  if (spec.sql === null) return;
  ctx.detail("Query", excerpt(spec.sql, QUERY_EXCERPT_CHARS, spec.path));
  ctx.detail("Query SHA-256", createHash("sha256").update(spec.sql).digest("hex"));
}
