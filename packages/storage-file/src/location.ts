import { StorageError } from "@assay/ports";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The root folder of a `file:` location: `file:.assay` and `file:results/store` resolve against
 * the project root, `file:/abs/path` and `file:///abs/path` (a file URL, percent-decoded) are
 * taken as they are.
 */
export function rootOf(location: string, projectRoot: string): string {
  const refuse = (why: string): never => {
    throw new StorageError("STORAGE_LOCATION_INVALID", `Storage location ${JSON.stringify(location)} is not a usable file: location: ${why}`, {
      where: { key: "storage" },
      expected: "file:<folder> (relative to the project root) or file:///absolute/folder",
      fix: "Point the storage at a folder, e.g. storage: file:.assay",
    });
  };
  if (!/^file:/i.test(location)) refuse("it does not start with file:");
  const rest = location.slice("file:".length);
  if (rest.startsWith("//")) {
    let path: string;
    try {
      path = fileURLToPath(location);
    } catch (cause) {
      return refuse(cause instanceof Error ? cause.message : String(cause));
    }
    return resolve(path);
  }
  if (rest === "") refuse("it names no folder");
  if (rest.includes("\0")) refuse("it contains a NUL character");
  return isAbsolute(rest) ? resolve(rest) : resolve(projectRoot, rest);
}
