// Shared set-up for the CLI's PostgreSQL end-to-end tests: psql to prepare and inspect servers,
// and the throwaway cluster of @assay/backend-postgres's tests (one helper, not two copies).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { PG_BIN } from "../../../packages/backend-postgres/test/throwaway-cluster.js";

export { NO_BINARIES, startThrowawayCluster, type ThrowawayCluster } from "../../../packages/backend-postgres/test/throwaway-cluster.js";

const execFileAsync = promisify(execFile);

/** psql of the installed server binaries, else the first on PATH; undefined when there is none. */
export const PSQL: string | undefined = [
  ...(PG_BIN ? [path.join(PG_BIN, "psql")] : []),
  ...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, "psql")),
].find((file) => existsSync(file));

/**
 * Runs SQL with psql against a connection URL and returns its unaligned, tuples-only output.
 * The CLI package has no PostgreSQL driver of its own; psql keeps it that way.
 */
export async function psql(url: string, sql: string, env: Record<string, string> = {}): Promise<string> {
  if (!PSQL) throw new Error("psql is not installed");
  const { stdout } = await execFileAsync(PSQL, [url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql], {
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return stdout.trim();
}

/** The URL of `database` on the server of `url`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
