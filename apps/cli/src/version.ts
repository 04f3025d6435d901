import { readFileSync } from "node:fs";

/** The CLI's own version, from its package.json (one level above dist/ and src/). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}
