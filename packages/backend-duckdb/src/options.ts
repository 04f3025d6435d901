import { z } from "zod";
import type { Coordinates } from "@assay/ports";

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(["domain", "stage", "instance"]);

/** A template over {domain}, {stage}, {instance}; any other placeholder is refused up front. */
const template = (what: string) =>
  z
    .string()
    .min(1)
    .refine((value) => [...value.matchAll(PLACEHOLDER)].every((m) => KNOWN.has(m[1] ?? "")), {
      message: `${what} may only use the placeholders {domain}, {stage} and {instance}`,
    });

/**
 * Options of the `duckdb` backend (documented in the package README). Paths are relative to the
 * project root (the folder holding assay.config.yaml).
 */
export const DuckDbBackendOptions = z.strictObject({
  /** Database file per coordinates, or ":memory:". */
  database: template("database").default("warehouse/{domain}_{stage}.duckdb"),
  /** Schema holding an instance's tables; unqualified names in test SQL resolve to it. */
  schema: template("schema").default("{instance}"),
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

/** Fills a template's placeholders from the coordinates. */
export function expandTemplate(value: string, at: Coordinates): string {
  return value.replace(PLACEHOLDER, (_m, name: string) => at[name as keyof Coordinates]);
}
