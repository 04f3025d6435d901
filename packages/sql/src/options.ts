import { z } from "zod";
import type { Coordinates } from "@assay/ports";

const PLACEHOLDERS = ["domain", "stage", "instance"] as const;

/** An option naming a database or schema per coordinates: a string with only {domain}, {stage} and {instance} placeholders. */
export const coordinatesTemplate = z.string().min(1).refine(
  (text) => [...text.matchAll(/\{([^}]*)\}/g)].every((m) => (PLACEHOLDERS as readonly string[]).includes(m[1]!)),
  { message: "only the placeholders {domain}, {stage} and {instance} are allowed" },
);

/** Fills {domain}, {stage} and {instance}. */
export function renderTemplate(text: string, at: Coordinates): string {
  return text.replace(/\{(domain|stage|instance)\}/g, (_, key: keyof Coordinates) => at[key]);
}

/**
 * Removes secrets from text shown to users: the password itself (plain and URL-encoded) and
 * the password part of any URL (`mariadb://user:***@host`).
 */
export function secretScrubber(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const literals = secrets
    .filter((s): s is string => typeof s === "string" && s.length > 0)
    .flatMap((s) => [s, encodeURIComponent(s)])
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, "$1:***@");
    for (const secret of literals) out = out.split(secret).join("***");
    return out;
  };
}
