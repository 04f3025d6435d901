import { readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { AssayError, type Coordinates } from "@assay/ports";
import { renderRootTemplate, type RawFilesSettings } from "./settings.js";

/** A raw folder: the files a stage table is loaded from. */
export interface RawFolder {
  /** The folder's name under the raw root (`accounts`). */
  folder: string;
  /** Its test-object name (`raw_accounts`). */
  object: string;
  /** Absolute path. */
  path: string;
}

const isHidden = (name: string) => name.startsWith(".");

/** `path` lies strictly inside `folder` (both absolute, already normalised). */
function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Where raw folders and files are, by the `rawFiles` settings of one domain. */
export class RawFileLocator {
  constructor(
    private readonly projectRoot: string,
    private readonly settings: RawFilesSettings,
  ) {}

  /** The raw root of the coordinates, absolute. */
  root(at: Coordinates): string {
    return resolve(this.projectRoot, renderRootTemplate(this.settings.root, at));
  }

  /**
   * The raw folder a stage table is loaded from (`stage_x` → folder `x`, object `raw_x`), whether
   * or not it exists; null when the name does not carry the stage prefix.
   */
  folderFor(at: Coordinates, stageObject: string): RawFolder | null {
    const { stagePrefix } = this.settings;
    if (!stageObject.startsWith(stagePrefix) || stageObject.length === stagePrefix.length) return null;
    const folder = stageObject.slice(stagePrefix.length);
    if (folder.includes("/") || folder.includes("\\") || folder === "." || folder === "..") return null;
    return { folder, object: this.settings.objectPrefix + folder, path: join(this.root(at), folder) };
  }

  async isFolder(path: string): Promise<boolean> {
    return (await stat(path).catch(() => null))?.isDirectory() ?? false;
  }

  /** The raw folders under the root, sorted, hidden ones left out; none when the root does not exist. */
  async listFolders(at: Coordinates): Promise<RawFolder[]> {
    const root = this.root(at);
    let entries;
    try {
      entries = await readdir(root, { withFileTypes: true });
    } catch (error) {
      if (missing(error)) return [];
      throw new AssayError("RAW_FILE_UNREADABLE", `Cannot read the raw root ${root}: ${(error as Error).message}`, { cause: error });
    }
    const folders: RawFolder[] = [];
    for (const entry of entries) {
      if (isHidden(entry.name)) continue;
      const path = join(root, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && (await this.isFolder(path)))) {
        folders.push({ folder: entry.name, object: this.settings.objectPrefix + entry.name, path });
      }
    }
    return folders.sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  }

  /** The regular files of a raw folder, sorted; sub-folders when `recursive`; hidden files and folders left out. */
  async listFiles(folder: string): Promise<string[]> {
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (isHidden(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isFile()) files.push(path);
        else if (entry.isDirectory() && this.settings.recursive) await walk(path);
      }
    };
    await walk(folder);
    return files.sort();
  }

  /**
   * The file a stage table's path names: absolute, a `file://` URL, or relative to the raw root
   * or to the raw folder (the first that lies in the folder and exists). Refused when it lies
   * outside the folder, symbolic links resolved, or in a sub-folder when recursion is off.
   */
  async resolveStored(at: Coordinates, raw: RawFolder, given: string): Promise<string> {
    let candidates: string[];
    if (/^file:/i.test(given)) {
      try {
        candidates = [fileURLToPath(given)];
      } catch (error) {
        throw new AssayError("RAW_FILE_REFUSED", `The stage table names the raw file ${JSON.stringify(given)}, which is not a valid file:// URL: ${(error as Error).message}`, { cause: error });
      }
    } else if (isAbsolute(given)) candidates = [resolve(given)];
    else candidates = [resolve(this.root(at), given), resolve(raw.path, given)];
    const inside = candidates.filter((c) => isInside(raw.path, c));
    if (inside.length === 0) {
      throw new AssayError("RAW_FILE_REFUSED", `The stage table names the raw file ${JSON.stringify(given)}, which lies outside the raw folder ${raw.path}; it was not read`, {
        expected: `a path inside ${raw.path}: absolute, a file:// URL, or relative to ${this.root(at)} or to the folder`,
        fix: "Check the file column of the stage table and rawFiles.root in assay.config.yaml.",
      });
    }
    let found: string | undefined;
    for (const candidate of inside) {
      if (await stat(candidate).then((s) => s.isFile(), () => false)) {
        found = candidate;
        break;
      }
    }
    if (!found) {
      throw new AssayError("RAW_FILE_NOT_FOUND", `Raw file ${JSON.stringify(given)} does not exist (looked for ${inside.join(" and ")})`, {
        fix: "Check that the raw files of the latest load are still in place.",
      });
    }
    const [realFolder, realFile] = await Promise.all([realpath(raw.path), realpath(found)]);
    if (!isInside(realFolder, realFile)) {
      throw new AssayError("RAW_FILE_REFUSED", `Raw file ${JSON.stringify(given)} links to ${realFile}, outside the raw folder ${raw.path}; it was not read`, {
        expected: `a file inside ${realFolder}, symbolic links resolved`,
        fix: "Replace the link by the file, or move the file into the raw folder.",
      });
    }
    if (!this.settings.recursive && relative(realFolder, realFile).includes(sep)) {
      throw new AssayError("RAW_FILE_REFUSED", `Raw file ${JSON.stringify(given)} lies in a sub-folder of ${raw.path}, and rawFiles.recursive is false; it was not read`, {
        fix: "Set rawFiles.recursive: true in assay.config.yaml, or keep the files directly in the raw folder.",
      });
    }
    return found;
  }
}
