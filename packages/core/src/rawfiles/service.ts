import type { Coordinates } from "@assay/ports";
import type { AssayConfig } from "../config/schema.js";
import { countCsvFile } from "./csv-file.js";
import { RawFileLocator, type RawFolder } from "./locate.js";
import { countParquetRows } from "./parquet-rows.js";
import { DEFAULT_RAW_FILES_SETTINGS, mergeRawFilesSettings, type RawFileReadOptions, type RawFilesSettings } from "./settings.js";

/** What counting one raw file found. */
export interface RawFileCountResult {
  /** The absolute path counted. */
  path: string;
  format: "csv" | "parquet";
  /** Data rows: Parquet num_rows, or CSV records less header records. */
  rows: number;
  /** CSV only: records, header records and whether the header rule decided; the encoding read. */
  csv: { records: number; headerLines: number; headerInferred: boolean; encoding: string } | null;
}

export interface RawFileCallOptions {
  signal?: AbortSignal | undefined;
  /** Bytes per read for CSV files (default 8 MB). */
  chunkSize?: number | undefined;
}

/**
 * The raw-file service: one set of rules for finding and counting the raw files behind a stage
 * table, whichever engine holds the table (README, "Raw files and STAGECOUNT").
 */
export class RawFileService {
  private readonly locator: RawFileLocator;

  constructor(
    projectRoot: string,
    readonly settings: RawFilesSettings = DEFAULT_RAW_FILES_SETTINGS,
  ) {
    this.locator = new RawFileLocator(projectRoot, settings);
  }

  /** The service of one domain: its `rawFiles` keys over the config-wide ones. */
  static forDomain(config: AssayConfig, domain: string): RawFileService {
    const settings = mergeRawFilesSettings(config.rawFiles, config.domains[domain]?.rawFiles);
    return new RawFileService(config.root, settings);
  }

  root(at: Coordinates): string {
    return this.locator.root(at);
  }

  /** The raw folder of a stage table (it may not exist), or null when the name has no stage prefix. */
  folderFor(at: Coordinates, stageObject: string): RawFolder | null {
    return this.locator.folderFor(at, stageObject);
  }

  folderExists(folder: RawFolder): Promise<boolean> {
    return this.locator.isFolder(folder.path);
  }

  /** The raw folders at the coordinates, as test objects of kind files. */
  listFolders(at: Coordinates): Promise<RawFolder[]> {
    return this.locator.listFolders(at);
  }

  listFiles(folder: RawFolder): Promise<string[]> {
    return this.locator.listFiles(folder.path);
  }

  /** The file a path stored in the stage table names, refused outside the folder. */
  resolveStored(at: Coordinates, folder: RawFolder, given: string): Promise<string> {
    return this.locator.resolveStored(at, folder, given);
  }

  /** The read options of a file: the spec's keys over the configured ones. */
  readOptions(spec: Partial<RawFileReadOptions> = {}): RawFileReadOptions {
    const defined = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined && v !== null));
    return { ...this.settings.file, ...defined };
  }

  /** Counts one file (absolute path) by the rules; CSV streamed, Parquet from its footer. */
  async countFile(path: string, options: RawFileReadOptions, call: RawFileCallOptions = {}): Promise<RawFileCountResult> {
    const format = options.format ?? (/\.parquet$/i.test(path) ? "parquet" : "csv");
    if (format === "parquet") return { path, format, rows: await countParquetRows(path, call.signal), csv: null };
    const counted = await countCsvFile(path, { ...options, signal: call.signal, chunkSize: call.chunkSize });
    const { rows, ...csv } = counted;
    return { path, format, rows, csv };
  }
}
