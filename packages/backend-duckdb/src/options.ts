import { z } from "zod";
import { coordinatesTemplate } from "@assay/sql";

/**
 * Options of the `duckdb` backend (documented in the package README). Paths are relative to the
 * project root (the folder holding assay.config.yaml).
 */
export const DuckDbBackendOptions = z.strictObject({
  /** Database file per coordinates, or ":memory:". */
  database: coordinatesTemplate.default("warehouse/{domain}_{stage}.duckdb"),
  /** Schema holding an instance's tables; unqualified names in test SQL resolve to it. */
  schema: coordinatesTemplate.default("{instance}"),
  /** Refuse every statement but SELECT and open the database file read-only. */
  readOnly: z.boolean().default(true),
  /** DuckDB worker threads (default: DuckDB's own, the number of cores). */
  threads: z.number().int().min(1).max(1024).optional(),
  /** DuckDB memory limit, e.g. "2GB" (default: DuckDB's own, 80% of RAM); work beyond it spills to disk. */
  memoryLimit: z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i, 'a size such as "512MB" or "2GB"')
    .optional(),
  /** Per-query time limit in milliseconds; a query past it is interrupted. */
  timeoutMs: z.number().int().min(1).default(300_000),
});
/** Options as written in assay.config.yaml. */
export type DuckDbBackendOptionsInput = z.input<typeof DuckDbBackendOptions>;
/** Options after defaults. */
export type DuckDbBackendOptions = z.output<typeof DuckDbBackendOptions>;

