/** SQL text assay generates. User SQL is never rewritten: it is only embedded as a subquery. */

/** A quoted identifier: `a"b` → `"a""b"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"catalog"."schema"."name"`. */
export function qualified(...parts: string[]): string {
  return parts.map(quoteIdent).join(".");
}
