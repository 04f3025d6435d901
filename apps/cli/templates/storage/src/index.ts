import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  definePlugin,
  RESERVED_KEY_PREFIX,
  StorageError,
  validateStorageKey,
  validateStoragePrefix,
  type Storage,
} from "@assay/ports";
import { z } from "zod";

/** Options as users write them under storage: { location: "__NAME__:folder", options: {...} }. */
export const Options = z.strictObject({
  /** Flush every write to disk before it counts as done (slower, survives a power cut). */
  fsync: z.boolean().default(false),
});
export type Options = z.output<typeof Options>;

/** Keys are files under one folder; a write goes to a temporary file first, then is renamed. */
class FolderStorage implements Storage {
  constructor(
    readonly location: string,
    readonly root: string,
    readonly options: Options,
  ) {}

  #file(key: string): string {
    validateStorageKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async read(key: string): Promise<Uint8Array> {
    const file = this.#file(key);
    try {
      return new Uint8Array(await readFile(file));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") {
        throw new StorageError("STORAGE_NOT_FOUND", `No stored object under key ${JSON.stringify(key)} in ${this.location}`, { cause });
      }
      throw new StorageError("STORAGE_IO", `Cannot read ${file}: ${String(cause)}`, { cause });
    }
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    const file = this.#file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // A unique temporary name per write: concurrent writers of one key never share a file, and
    // rename() replaces the target atomically, so readers see the old bytes or the new ones.
    const temporary = path.join(path.dirname(file), `${RESERVED_KEY_PREFIX}${randomUUID()}`);
    try {
      await writeFile(temporary, data, { flush: this.options.fsync });
      await rename(temporary, file);
    } catch (cause) {
      await rm(temporary, { force: true });
      throw new StorageError("STORAGE_IO", `Cannot write ${file}: ${String(cause)}`, { cause });
    }
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.#file(key)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    await rm(this.#file(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    validateStoragePrefix(prefix);
    const keys: string[] = [];
    const walk = async (dir: string, base: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // A folder that does not exist holds no keys.
      }
      for (const entry of entries) {
        if (entry.name.startsWith(RESERVED_KEY_PREFIX)) continue;
        const key = base ? `${base}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key);
        else if (key.startsWith(prefix)) keys.push(key);
      }
    };
    await walk(this.root, "");
    // Byte order, as the port requires (not locale order).
    return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

export default definePlugin({
  kind: "storage",
  name: "__NAME__",
  apiVersion: 1,
  description: "Stores results as files under a folder (__NAME__:<folder>).",
  schemes: ["__NAME__"],
  optionsSchema: Options,
  // assay validates and defaults the options with optionsSchema before it calls create().
  async create(options: Options, context) {
    const folder = context.location.slice(context.location.indexOf(":") + 1) || ".assay";
    return new FolderStorage(context.location, path.resolve(context.projectRoot, folder), options);
  },
});
