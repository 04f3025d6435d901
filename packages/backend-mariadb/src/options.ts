import { z } from "zod";
import { coordinatesTemplate as template } from "@assay/sql";

/**
 * Options of the mariadb backend (`backend: { use: mariadb, options: {...} }`), for MariaDB 10.6+
 * and MySQL 8. MariaDB has no schemas inside a database, so the coordinates pick a database:
 * `database` is a template, `{domain}_{stage}_{instance}` by default.
 */
export const MariaDbOptions = z.strictObject({
  /** `mariadb://user:password@host:port` (or `mysql://`); a database in it is not used: see `database`. */
  url: z.string().regex(/^(mariadb|mysql):\/\//, "must start with mariadb:// or mysql://").default("mariadb://localhost:3306"),
  /** Overrides the url's password; never shown (errors print `***`). */
  password: z.string().optional(),
  /** Database per coordinates, a template. Unqualified names in spec SQL resolve in it. */
  database: template.default("{domain}_{stage}_{instance}"),
  /** Connections in the pool (shared by every database: a session switches with USE). */
  poolSize: z.number().int().min(1).max(100).default(4),
  /** Time limit of every call, in milliseconds; a query still running then is killed (KILL QUERY). */
  timeoutMs: z.number().int().min(1).default(300_000),
  /** Time allowed to open a connection, in milliseconds. */
  connectTimeoutMs: z.number().int().min(1).default(10_000),
});
export type MariaDbOptionsInput = z.input<typeof MariaDbOptions>;
export type MariaDbOptions = z.output<typeof MariaDbOptions>;

/** mysql2's connection options from the url. */
export function connectionSettings(options: MariaDbOptions): { host: string; port: number; user?: string; password?: string; connectTimeout: number } {
  const url = new URL(options.url);
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const password = options.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
  return { host: url.hostname.replace(/^\[|\]$/g, "") || "localhost", port: url.port ? Number(url.port) : 3306, ...(user ? { user } : {}), ...(password ? { password } : {}), connectTimeout: options.connectTimeoutMs };
}
