export { RawFileService, type RawFileCountResult, type RawFileCallOptions } from "./service.js";
export type { RawFolder } from "./locate.js";
export {
  RawFilesSettings,
  DomainRawFilesSettings,
  RawFileReadOptions,
  DEFAULT_RAW_FILES_SETTINGS,
  mergeRawFilesSettings,
} from "./settings.js";
export { SUPPORTED_ENCODINGS_TEXT, isSupportedEncoding } from "./encodings.js";
export { CsvRecordCounter } from "./csv-records.js";
export { countCsvFile, type CsvCount, type CsvCountOptions } from "./csv-file.js";
export { countParquetRows } from "./parquet-rows.js";
export { inferHeaderLines } from "./header.js";
