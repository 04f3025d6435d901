import { z } from "zod";
import type { Coordinates } from "@assay/ports";
import { isSupportedEncoding, SUPPORTED_ENCODINGS_TEXT } from "./encodings.js";

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDERS = new Set(["domain", "stage", "instance"]);

/** A folder template over {domain}, {stage} and {instance}, relative to the project root. */
const FolderTemplate = z
  .string()
  .min(1)
  .refine((value) => [...value.matchAll(PLACEHOLDER)].every((m) => PLACEHOLDERS.has(m[1] ?? "")), {
    message: "use only the placeholders {domain}, {stage} and {instance}",
  });

const Encoding = z
  .string()
  .min(1)
  .refine(isSupportedEncoding, { message: `an encoding assay counts: ${SUPPORTED_ENCODINGS_TEXT}` });

/** One byte that is not the quote or a line break: the counter only needs it to split the header. */
const Delimiter = z
  .string()
  .length(1)
  .refine((d) => d !== '"' && d !== "\n" && d !== "\r", { message: 'a single character other than ", CR and LF' });

/**
 * How one raw file is read. Every key is optional: format from the file name (`.parquet` is
 * Parquet, anything else CSV), encoding from a byte-order mark or else utf-8, header lines by
 * the header rule (see README, "Raw files and STAGECOUNT"), delimiter `,`. A stagecount spec
 * overrides these key by key.
 */
export const RawFileReadOptions = z.strictObject({
  format: z.enum(["csv", "parquet"]).optional(),
  encoding: Encoding.optional(),
  /** Leading records that are headers, not data (a header with a quoted newline is one record). */
  headerLines: z.number().int().min(0).optional(),
  delimiter: Delimiter.optional(),
});
export type RawFileReadOptions = z.output<typeof RawFileReadOptions>;

const LoadColumnNames = {
  /** The column holding when a row was loaded; the newest value is the latest load. */
  timestamp: z.string().min(1),
  /** The column holding the raw file a row came from. */
  file: z.string().min(1),
};

/** `rawFiles:` at the top of assay.config.yaml: the defaults of every domain. */
export const RawFilesSettings = z.strictObject({
  /** The raw root of an instance, relative to the project root. */
  root: FolderTemplate.default("raw/{domain}/{stage}/{instance}"),
  /** A stage table `<stagePrefix>x` is loaded from the folder `x` under the raw root. */
  stagePrefix: z.string().default("stage_"),
  /** The folder `x` is listed as the test object `<objectPrefix>x` (kind files). */
  objectPrefix: z.string().default("raw_"),
  loadColumns: z.strictObject({ timestamp: LoadColumnNames.timestamp.default("m__ts"), file: LoadColumnNames.file.default("m__source_file_path") }).default(() => ({
    timestamp: "m__ts",
    file: "m__source_file_path",
  })),
  /** Files in sub-folders of a raw folder belong to it. */
  recursive: z.boolean().default(true),
  file: RawFileReadOptions.default(() => ({})),
});
export type RawFilesSettings = z.output<typeof RawFilesSettings>;

/** `domains.<name>.rawFiles:` any key of the top-level `rawFiles`, overriding it for that domain. */
export const DomainRawFilesSettings = z.strictObject({
  root: FolderTemplate.optional(),
  stagePrefix: z.string().optional(),
  objectPrefix: z.string().optional(),
  loadColumns: z.strictObject({ timestamp: LoadColumnNames.timestamp.optional(), file: LoadColumnNames.file.optional() }).optional(),
  recursive: z.boolean().optional(),
  file: RawFileReadOptions.optional(),
});
export type DomainRawFilesSettings = z.output<typeof DomainRawFilesSettings>;

export const DEFAULT_RAW_FILES_SETTINGS: RawFilesSettings = RawFilesSettings.parse({});

/** The settings a domain uses: its own keys over the config-wide ones (loadColumns and file merged key by key). */
export function mergeRawFilesSettings(base: RawFilesSettings, domain: DomainRawFilesSettings | undefined): RawFilesSettings {
  if (!domain) return base;
  const defined = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    ...base,
    ...defined({ root: domain.root, stagePrefix: domain.stagePrefix, objectPrefix: domain.objectPrefix, recursive: domain.recursive }),
    loadColumns: { ...base.loadColumns, ...defined(domain.loadColumns) },
    file: { ...base.file, ...defined(domain.file) },
  };
}

/** The raw root template with the coordinates filled in (still relative to the project root). */
export function renderRootTemplate(template: string, at: Coordinates): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => at[name as keyof Coordinates]);
}
