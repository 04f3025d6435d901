/**
 * Removes secrets from text shown to users: the password itself (plain and URL-encoded) and
 * the password part of any URL (`postgres://user:***@host`).
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
