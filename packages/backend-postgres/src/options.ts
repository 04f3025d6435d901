import { z } from "zod";
import { coordinatesTemplate as template } from "@assay/sql";

/**
 * Options of the postgres backend (`backend: { use: postgres, options: {...} }`).
 * Connection: `url` and/or the separate fields (a field given beside `url` wins). Anything left
 * out falls back to libpq's variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
 */
export const PostgresOptions = z.strictObject({
  /** `postgres://user:password@host:port/database?sslmode=require`. Its database is the default of `database`. */
  url: z.string().regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://").optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().min(1).optional(),
  /** Never shown: errors and warnings print `***` in its place. */
  password: z.string().optional(),
  /** Database per coordinates, a template, e.g. `{domain}_{stage}`. Default: the url's database. */
  database: template.optional(),
  /** Schema per coordinates, a template. Unqualified names in spec SQL resolve in it. */
  schema: template.default("{instance}"),
  /** Connections per database. */
  poolSize: z.number().int().min(1).max(100).default(4),
  /** Statement timeout for every query, in milliseconds. */
  timeoutMs: z.number().int().min(1).default(300_000),
  /** Time allowed to open a connection (TCP, TLS and authentication), in milliseconds. */
  connectTimeoutMs: z.number().int().min(1).default(10_000),
});
export type PostgresOptionsInput = z.input<typeof PostgresOptions>;
export type PostgresOptions = z.output<typeof PostgresOptions>;

/** Where and as whom to connect, resolved once. */
export interface ConnectionSettings {
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  /** Template of the database name. */
  database: string;
  ssl: boolean | { rejectUnauthorized: boolean } | undefined;
}

export function connectionSettings(options: PostgresOptions, env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const url = options.url === undefined ? undefined : new URL(options.url);
  const fromUrl = (value: string | undefined): string | undefined => (value ? decodeURIComponent(value) : undefined);
  const sslmode = url?.searchParams.get("sslmode") ?? env.PGSSLMODE;
  const urlPort = url?.port ? Number(url.port) : undefined;
  return {
    host: options.host ?? (fromUrl(url?.hostname)?.replace(/^\[|\]$/g, "") || undefined) ?? env.PGHOST ?? "localhost",
    port: options.port ?? urlPort ?? (env.PGPORT ? Number(env.PGPORT) : 5432),
    user: options.user ?? fromUrl(url?.username) ?? env.PGUSER,
    password: options.password ?? fromUrl(url?.password) ?? env.PGPASSWORD,
    database: options.database ?? fromUrl(url?.pathname.replace(/^\//, "")) ?? env.PGDATABASE ?? "postgres",
    ssl:
      sslmode === "require" || sslmode === "prefer" ? { rejectUnauthorized: false }
      : sslmode === "verify-ca" || sslmode === "verify-full" ? true
      : undefined,
  };
}
