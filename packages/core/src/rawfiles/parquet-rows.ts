import { AssayError } from "@assay/ports";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";

/**
 * Rows of a Parquet file from its footer alone (FileMetaData.num_rows): the data pages are
 * never read, so a file of any size costs one small read at its end.
 */
export async function countParquetRows(path: string, signal?: AbortSignal): Promise<number> {
  signal?.throwIfAborted();
  try {
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
    return Number(metadata.num_rows);
  } catch (error) {
    throw new AssayError("RAW_FILE_UNREADABLE", `Raw file ${path} is not a readable Parquet file: ${(error as Error).message}`, {
      expected: "a Parquet file ending in its footer and the PAR1 magic",
      fix: "Check the file, or set format: csv in the stagecount spec if it is a CSV file named .parquet.",
      cause: error,
    });
  }
}
