import { z } from "zod";
import { coordinatesTemplate as template } from "@assay/sql";

/**
 * Options of the clickhouse backend. With `url`, a server through @clickhouse/client; without, the
 * embedded chDB (optional peer dependency `chdb`) over the data directory `path`.
 */
export const ClickHouseOptions = z.strictObject({
  /** `http(s)://user:password@host:8123`: a server. Absent: embedded chDB. */
  url: z.string().regex(/^https?:\/\//, "must start with http:// or https://").optional(),
  /** chDB's data directory, relative to the project root (embedded only). */
  path: z.string().min(1).default(".assay/chdb"),
  /** Database per coordinates, a template. Unqualified names in spec SQL resolve in it. */
  database: template.default("{domain}_{stage}_{instance}"),
  /** Time limit of every call, in milliseconds (also the server's max_execution_time). */
  timeoutMs: z.number().int().min(1).default(300_000),
});
export type ClickHouseOptionsInput = z.input<typeof ClickHouseOptions>;
export type ClickHouseOptions = z.output<typeof ClickHouseOptions>;
