import { z } from "zod";
import { DEFAULT_RAW_FILES_SETTINGS, DomainRawFilesSettings, RawFilesSettings } from "../rawfiles/settings.js";

/**
 * assay.config.yaml. Every object is strict: an unknown key is an error that names the key,
 * because a misspelt key silently ignored is a test that silently does not run.
 */

const name = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "use letters, digits, '_', '.' and '-'");

/** `use: duckdb` plus the plugin's own options, validated later by the plugin's schema. */
export const PluginSelection = z.strictObject({
  use: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type PluginSelection = z.infer<typeof PluginSelection>;

/** `notifiers: [stdout]` or `[{ use: stdout, options: {...} }]`. */
const NotifierSelection = z.union([z.string().min(1).transform((use) => ({ use, options: {} })), PluginSelection]);

/** `storage: file:.assay` or `{ location: file:.assay, options: {...} }`. */
export const StorageSelection = z.union([
  z.string().min(1).transform((location) => ({ location, options: {} })),
  z.strictObject({ location: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) }),
]);
export type StorageSelection = z.output<typeof StorageSelection>;

/**
 * `reporters: [junit]` or `[{ use: junit, file: reports/junit.xml, options: {...} }]`: reports
 * written after every run. `file` (relative to the config file) puts every run of one
 * invocation into that file; without it each run gets `<store>/reports/<run id>.<ext>`.
 */
export const ReporterSelection = z.union([
  z.string().min(1).transform((use): { use: string; options: Record<string, unknown>; file?: string } => ({ use, options: {} })),
  z.strictObject({ use: z.string().min(1), file: z.string().min(1).optional(), options: z.record(z.string(), z.unknown()).default({}) }),
]);
export type ReporterSelection = z.output<typeof ReporterSelection>;

export const CompareSettings = z.strictObject({
  tolerance: z
    .strictObject({
      default: z.number().min(0).default(0),
      columns: z.record(z.string(), z.number().min(0)).default({}),
    })
    .default({ default: 0, columns: {} }),
  maxDiffRows: z.number().int().min(0).max(100_000).default(100),
  /** Sampled COMPARE: keep keys whose hash falls under `percent`; absent = every row. */
  sample: z.strictObject({ percent: z.number().gt(0).max(100), seed: z.string().default("assay") }).optional(),
});
export type CompareSettings = z.output<typeof CompareSettings>;

export const SchemaSettings = z.strictObject({
  /**
   * Types whose mismatch makes SCHEMA NOK, in the spec vocabulary (README "SCHEMA types"): a
   * family (`int`) covers every width in it, `decimal` every precision. Absent: every type.
   */
  compareTypes: z.array(z.string().min(1)).optional(),
  /**
   * A spec's primary key must be declared by the table. Off by default: stage tables and
   * warehouses whose keys are not enforced declare none, and their spec key still serves COMPARE.
   */
  requireDeclaredKeys: z.boolean().default(false),
});
export type SchemaSettings = z.output<typeof SchemaSettings>;

export const DomainSettings = z.strictObject({
  backend: PluginSelection.optional(),
  /** stage → its instances. */
  stages: z.record(name, z.array(name).min(1)).refine((s) => Object.keys(s).length > 0, "declare at least one stage"),
  /** stage → spec folder, relative to the config file; default specs/<domain>/<stage>. */
  specs: z.record(name, z.string().min(1)).default({}),
  compare: CompareSettings.default({ tolerance: { default: 0, columns: {} }, maxDiffRows: 100 }),
  schema: SchemaSettings.default({ requireDeclaredKeys: false }),
  /** Raw files of this domain: any key of the top-level `rawFiles`, overriding it. */
  rawFiles: DomainRawFilesSettings.optional(),
});
export type DomainSettings = z.output<typeof DomainSettings>;

/** Test cases at a time: the config's run.concurrency and --concurrency accept the same range. */
export const CONCURRENCY_RANGE = { min: 1, max: 256 } as const;

export const RunSettings = z.strictObject({
  concurrency: z.number().int().min(CONCURRENCY_RANGE.min).max(CONCURRENCY_RANGE.max).default(4),
  /** Per test case. */
  timeoutMs: z.number().int().min(100).default(10 * 60 * 1000),
  /**
   * Per call to a plugin outside a test case (storing a result, notifying, creating or closing
   * the backend, writing a report): a plugin that does not answer in time is named and left behind.
   */
  callTimeoutMs: z.number().int().min(100).default(60_000),
});
export type RunSettings = z.output<typeof RunSettings>;

export const AssayConfigFile = z.strictObject({
  /** Extra plugin packages (names resolved from the project) or paths. */
  plugins: z.array(z.string().min(1)).default([]),
  backend: PluginSelection.default({ use: "duckdb", options: {} }),
  /**
   * Named backends besides the domains' own, written like `backend:`: a compare spec whose first
   * line is `-- assay: connection=<name>` runs its expected query there (cross-database COMPARE).
   */
  connections: z.record(name, PluginSelection).default({}),
  storage: StorageSelection.default({ location: "file:.assay", options: {} }),
  format: z.string().min(1).default("json"),
  notifiers: z.array(NotifierSelection).default([{ use: "stdout", options: {} }]),
  reporters: z.array(ReporterSelection).default([]),
  run: RunSettings.default({ concurrency: 4, timeoutMs: 600_000, callTimeoutMs: 60_000 }),
  /** Folder of test set files, relative to the config file. */
  testsets: z.string().min(1).default("testsets"),
  /** Where the raw files behind stage tables are and how STAGECOUNT reads them (every domain's default). */
  rawFiles: RawFilesSettings.default(() => structuredClone(DEFAULT_RAW_FILES_SETTINGS)),
  domains: z.record(name, DomainSettings).default({}),
});
export type AssayConfigFile = z.output<typeof AssayConfigFile>;

/** The configuration after loading: paths absolute, env references resolved, every default applied. */
export interface AssayConfig extends AssayConfigFile {
  /** Absolute path of assay.config.yaml (or "<defaults>" when none exists). */
  file: string;
  /** Folder holding the config file: relative paths resolve against it. */
  root: string;
  domains: Record<string, ResolvedDomain>;
}

export interface ResolvedDomain extends DomainSettings {
  name: string;
  /** The backend this domain uses (its own, or the config's default). */
  backend: PluginSelection;
  /** stage → absolute spec folder (defaulted for every declared stage). */
  specs: Record<string, string>;
}
