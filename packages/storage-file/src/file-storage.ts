import { StorageError, validateStorageKey, validateStoragePrefix, type Storage } from "@assay/ports";
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir, realpath, rename, stat, unlink } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * Temporary files of in-flight writes start with this; list() skips them and keys may not use
 * it, so a reader of a key can never meet a half-written file.
 */
export const TEMP_PREFIX = ".assay-tmp-";

/**
 * Bytes as files under one root folder. Keys map to paths below the root; every write goes to
 * a temporary file in the target's folder that is flushed to disk and renamed over the target,
 * so a reader (or a crash) sees the old file or the new one, never a torn or empty one.
 */
export class FileStorage implements Storage {
  readonly location: string;
  /** Absolute root folder; created on the first write. */
  readonly root: string;

  constructor(location: string, root: string) {
    this.location = location;
    this.root = root;
  }

  async read(key: string): Promise<Uint8Array> {
    const path = await this.#pathOf(key);
    try {
      const data = await readFile(path);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (error) {
      // A folder is not a key: reading one finds nothing.
      if (isAbsent(error) || (error as NodeJS.ErrnoException).code === "EISDIR") throw this.#notFound(key, path);
      throw this.#io("read", keyLabel(key), path, error);
    }
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    const path = await this.#pathOf(key);
    const folder = dirname(path);
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw this.#io("create the folder of", keyLabel(key), folder, error);
    }
    const temp = join(folder, `${TEMP_PREFIX}${process.pid}-${randomBytes(8).toString("hex")}`);
    let created = false;
    try {
      // "wx": never reuse a file another writer might hold.
      const handle = await open(temp, "wx");
      created = true;
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      if (created) await unlink(temp).catch(() => undefined);
      throw this.#io("write", keyLabel(key), path, error);
    }
    await syncFolder(folder);
  }

  async exists(key: string): Promise<boolean> {
    const path = await this.#pathOf(key);
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (isAbsent(error)) return false;
      throw this.#io("check", keyLabel(key), path, error);
    }
  }

  async delete(key: string): Promise<void> {
    const path = await this.#pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      // A folder is not a key, so "deleting" one deletes nothing.
      if (isAbsent(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return;
      throw this.#io("delete", keyLabel(key), path, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    validateStoragePrefix(prefix);
    // Walk only the folder the prefix names: `runs/2024/ab` walks runs/2024 and keeps entries
    // starting with `ab`, so listing one run does not read the whole store.
    const cut = prefix.lastIndexOf("/");
    const folderKey = cut < 0 ? "" : prefix.slice(0, cut);
    const namePrefix = prefix.slice(cut + 1);
    const folder = folderKey === "" ? this.root : await this.#pathOf(folderKey);
    const keys: string[] = [];
    await this.#walk(folder, folderKey, namePrefix, keys, prefix);
    return keys.sort(compareBytes);
  }

  async #walk(folder: string, folderKey: string, namePrefix: string, into: string[], prefix: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isAbsent(error)) return;
      throw this.#io("list", { label: `the keys under prefix ${JSON.stringify(prefix)}` }, folder, error);
    }
    for (const entry of entries) {
      if (!entry.name.startsWith(namePrefix) || entry.name.startsWith(TEMP_PREFIX)) continue;
      const key = folderKey === "" ? entry.name : `${folderKey}/${entry.name}`;
      // Symbolic links are not followed: what list() returns never leads outside the root.
      if (entry.isDirectory()) await this.#walk(join(folder, entry.name), key, "", into, prefix);
      else if (entry.isFile()) into.push(key);
    }
  }

  /**
   * The file path of a key, after the shared key rule and two more checks: the resolved path
   * lies below the root, and no existing part of it is a link that leads outside the root.
   */
  async #pathOf(key: string): Promise<string> {
    validateStorageKey(key);
    const segments = key.split("/");
    if (segments.some((s) => s.startsWith(TEMP_PREFIX))) {
      throw refused(key, `names starting with ${TEMP_PREFIX} are reserved for temporary files`);
    }
    const path = resolve(this.root, ...segments);
    if (!isInside(path, this.root)) throw refused(key, "it resolves outside the storage root");
    const [realRoot, realPath] = await Promise.all([realPathOf(this.root), realPathOf(path)]);
    if (!isInside(realPath, realRoot)) {
      throw refused(key, `a symbolic link in its path leads outside the storage root (to ${realPath})`);
    }
    return path;
  }

  #notFound(key: string, path: string): StorageError {
    return new StorageError("STORAGE_NOT_FOUND", `No value is stored under ${JSON.stringify(key)} in ${this.location} (${path})`, {
      where: { file: path, key },
    });
  }

  #io(action: string, subject: { label: string; key?: string }, path: string, cause: unknown): StorageError {
    const code = (cause as NodeJS.ErrnoException | null)?.code;
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new StorageError("STORAGE_IO", `Could not ${action} ${subject.label} at ${path} in ${this.location}: ${reason}`, {
      where: subject.key === undefined ? { file: path } : { file: path, key: subject.key },
      fix: code === "EACCES" || code === "EPERM"
        ? `Give the user running assay access to ${path}.`
        : code === "ENOSPC"
          ? "Free disk space, or point the storage at another disk."
          : `Check that ${this.root} is a writable folder.`,
      cause,
    });
  }
}

function refused(key: string, why: string): StorageError {
  return new StorageError("STORAGE_KEY_INVALID", `Storage key ${JSON.stringify(key)} is refused: ${why}`, {
    where: { key },
    expected: "a relative path that stays inside the storage root",
  });
}

function keyLabel(key: string): { label: string; key: string } {
  return { label: `key ${JSON.stringify(key)}`, key };
}

/** `child` lies strictly below `parent` (both absolute and normalised). */
function isInside(child: string, parent: string): boolean {
  return child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * The real path of `path`, with links resolved as far as it exists: the nearest existing
 * ancestor is resolved and the missing rest appended (a missing part cannot be a link).
 */
async function realPathOf(path: string): Promise<string> {
  let existing = path;
  for (;;) {
    try {
      const real = await realpath(existing);
      return join(real, relative(existing, path));
    } catch (error) {
      const parent = dirname(existing);
      if (!isAbsent(error) || parent === existing) return path;
      existing = parent;
    }
  }
}

/** Makes the rename itself durable. Some platforms cannot open or sync a folder: skipped there. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows refuses to open folders (EISDIR/EPERM); the file itself is already synced.
  }
}

/** Byte order of the UTF-8 encodings, as the port promises (UTF-16 order differs above U+FFFF). */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
