import { readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { BackendError, type Coordinates } from "@assay/ports";
import { renderTemplate } from "./options.js";

const PREFIX = "raw_";

/** Raw-file objects: sub-folders `<folder>` of the files root are test objects `raw_<folder>`. */
export class RawFiles {
  constructor(
    private readonly projectRoot: string,
    private readonly template: string,
  ) {}

  root(at: Coordinates): string {
    return resolve(this.projectRoot, renderTemplate(this.template, at));
  }

  /** `stage_x` → `raw_x`; null for names without the `stage_` prefix. */
  rawObjectFor(stageObject: string): string | null {
    return stageObject.startsWith("stage_") && stageObject.length > "stage_".length ? PREFIX + stageObject.slice("stage_".length) : null;
  }

  /** Folder names under the root; none when the root does not exist. */
  async list(at: Coordinates): Promise<string[]> {
    try {
      const entries = await readdir(this.root(at), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => PREFIX + e.name).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return [];
      throw new BackendError("BACKEND_QUERY", `Cannot read the raw files root ${this.root(at)}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** The folder of a raw object, or null when the name is not one or the folder is missing. */
  async folder(at: Coordinates, name: string): Promise<string | null> {
    if (!name.startsWith(PREFIX) || name.length === PREFIX.length) return null;
    const sub = name.slice(PREFIX.length);
    if (sub.includes("/") || sub.includes("\\") || sub === "." || sub === "..") return null;
    const folder = join(this.root(at), sub);
    const info = await stat(folder).catch(() => null);
    return info?.isDirectory() ? folder : null;
  }

  /** Every regular file under a folder, recursively, hidden files left out, sorted. */
  async files(folder: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.name.startsWith(".")) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) out.push(path);
      }
    };
    await walk(folder);
    return out.sort();
  }

  /**
   * The local file a stored path names: an absolute path, a file:// URL, or a path relative to
   * the files root. It must lie inside the raw object's folder (symbolic links resolved).
   */
  async resolveInside(at: Coordinates, folder: string, path: string): Promise<string> {
    const candidate = path.startsWith("file:") ? fileURLToPath(path) : isAbsolute(path) ? path : resolve(this.root(at), path);
    const realFolder = await realpath(folder);
    const realFile = await realpath(candidate).catch(() => {
      throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `Raw file ${JSON.stringify(path)} does not exist (looked for ${candidate})`, {
        fix: "Check the file column of the stage table and the `files` root in the backend options.",
      });
    });
    const rel = relative(realFolder, realFile);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.split(sep)[0] === "..") {
      throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `Raw file ${JSON.stringify(path)} lies outside the raw object's folder ${folder}; assay reads only files inside it`, {
        expected: `a path inside ${folder}`,
      });
    }
    return realFile;
  }
}
