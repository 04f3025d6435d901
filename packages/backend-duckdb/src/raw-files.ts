import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { extname, isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { BackendError, type RawFileOptions } from "@assay/ports";

/** Test objects of kind "files": each sub-folder X of an instance's files root is `raw_X`. */
export const RAW_PREFIX = "raw_";

/** Sub-folders of the files root, sorted; none when the root does not exist. */
export function listRawFolders(filesRoot: string): string[] {
  if (!existsSync(filesRoot)) return [];
  return readdirSync(filesRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
}

/** The folder of a raw object, or null when the name is not a raw object or has no folder. */
export function rawFolder(filesRoot: string, objectName: string): string | null {
  if (!objectName.startsWith(RAW_PREFIX) || objectName.length === RAW_PREFIX.length) return null;
  const folder = resolve(filesRoot, objectName.slice(RAW_PREFIX.length));
  if (!isInside(resolve(filesRoot), folder)) return null;
  return existsSync(folder) && statSync(folder).isDirectory() ? folder : null;
}

/** Regular files directly inside a raw folder, sorted (hidden files skipped). */
export function filesIn(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => resolve(folder, entry.name))
    .sort();
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

/**
 * Resolves a path as a stage table stores it (absolute, `file://` URL, or relative to the files
 * root or to the raw folder) and refuses one that leaves the raw object's folder, symlinks included.
 */
export function resolveRawPath(given: string, filesRoot: string, folder: string, objectName: string): string {
  const candidates = given.startsWith("file:")
    ? [fileURLToPath(given)]
    : isAbsolute(given)
      ? [given]
      : [resolve(filesRoot, given), resolve(folder, given)];
  const inside = candidates.find((c) => isInside(folder, c));
  if (!inside) {
    throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `Raw file ${given} lies outside the folder of ${objectName} (${folder}); it was not read`, {
      expected: `a file inside ${folder}`,
      fix: "Check the file paths the stage table records; assay reads raw files only inside the raw object's folder.",
    });
  }
  if (!existsSync(inside)) {
    throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `Raw file ${given} of ${objectName} does not exist (looked for ${inside})`, {
      fix: "Check that the raw files of the load are still in place.",
    });
  }
  if (!isInside(realpathSync(folder), realpathSync(inside))) {
    throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `Raw file ${given} links to a place outside the folder of ${objectName}; it was not read`, {
      expected: `a file inside ${folder}`,
    });
  }
  return inside;
}

const ENCODINGS: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "utf-16": "utf-16",
  utf16: "utf-16",
  "latin-1": "latin-1",
  latin1: "latin-1",
  "iso-8859-1": "latin-1",
  iso88591: "latin-1",
};

/**
 * The table function reading one raw file, and the values it binds (never spliced into the SQL):
 * DuckDB's CSV reader (quoted newlines stay inside their record; every column read as text so
 * that type sniffing cannot fail) or its Parquet reader.
 */
export function rawFileSource(path: string, options: RawFileOptions): { source: string; values: (string | number | boolean)[] } {
  const format = options.format ?? (/\.parquet$/i.test(extname(path)) ? "parquet" : "csv");
  if (format === "parquet") return { source: "read_parquet($1)", values: [path] };
  const args = ["all_varchar = true"];
  const values: (string | number | boolean)[] = [path];
  const bind = (name: string, value: string | number | boolean) => {
    values.push(value);
    args.push(`${name} = $${values.length}`);
  };
  if (options.headerLines !== undefined) {
    // Header lines are skipped as plain lines; every record after them is data.
    bind("header", false);
    if (options.headerLines > 0) bind("skip", options.headerLines);
  }
  if (options.delimiter !== undefined) bind("delim", options.delimiter);
  if (options.encoding !== undefined) {
    const encoding = ENCODINGS[options.encoding.toLowerCase()];
    if (!encoding) {
      throw new BackendError("BACKEND_UNSUPPORTED", `The duckdb backend cannot read raw files in encoding ${options.encoding}`, {
        expected: "utf-8, utf-16 or latin-1",
        fix: "Convert the files, or set the encoding in the stagecount spec to one DuckDB reads.",
      });
    }
    bind("encoding", encoding);
  }
  return { source: `read_csv($1, ${args.join(", ")})`, values };
}
