import path from "node:path";
import { definePlugin, type Coordinates } from "@assay/ports";
import { createSqlBackend, type SessionTarget } from "@assay/sql";
import { z } from "zod";
import { dialect } from "./dialect.js";
import { EngineDriver } from "./driver.js";

/** Options as users write them under backend: { use: __NAME__, options: {...} }. */
export const Options = z.strictObject({
  /** The folder holding one database file per domain and stage, `<domain>_<stage>.duckdb`; relative to the project root. */
  folder: z.string().min(1).default("warehouse"),
  /** Per-call time limit in milliseconds: a call past it is cancelled in the engine and fails with BACKEND_TIMEOUT. */
  timeoutMs: z.number().int().min(1).default(300_000),
});
export type Options = z.output<typeof Options>;

export default definePlugin({
  kind: "backend",
  name: "__NAME__",
  apiVersion: 1,
  description: "SQL backend built on @assay/sql (as generated: DuckDB database files, one schema per instance).",
  optionsSchema: Options,
  // assay validates and defaults the options with optionsSchema before it calls create().
  async create(options: Options, context) {
    const folder = path.resolve(context.projectRoot, options.folder);
    // Where a call at the run's coordinates runs: map domain, stage and instance to your
    // engine's database (or catalogue) and schema here. Unqualified names in spec SQL resolve in `schema`.
    const target = (at: Coordinates): SessionTarget => ({
      database: path.join(folder, `${at.domain}_${at.stage}.duckdb`),
      schema: at.instance,
    });
    // The kit (@assay/sql) writes every statement, enforces deadlines and classifies errors; the
    // driver runs statements and the dialect spells them. Capabilities: every one the kit implements
    // (COMPARE and scans in the engine, STAGECOUNT's latest load); sampled COMPARE since the
    // dialect has sampleCondition. Switch one off here (capabilities: { ... }) if your engine cannot.
    return createSqlBackend(new EngineDriver(), dialect, {
      name: "__NAME__",
      target,
      describe: (at) => `schema "${at.instance}" of ${target(at).database}`,
      timeoutMs: options.timeoutMs,
    });
  },
});
