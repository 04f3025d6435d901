import { StorageError, validateStorageKey, validateStoragePrefix, type Storage } from "@assay/ports";

/**
 * Bytes in a Map owned by this instance: nothing is shared through module state, so two
 * storages created for the same `memory:` location are independent. Bytes are copied on the
 * way in and out, so no caller can change stored data by mutating its array.
 */
export class DictStorage implements Storage {
  readonly location: string;
  readonly #entries = new Map<string, Uint8Array>();

  constructor(location: string) {
    this.location = location;
  }

  async read(key: string): Promise<Uint8Array> {
    validateStorageKey(key);
    const data = this.#entries.get(key);
    if (data === undefined) {
      throw new StorageError("STORAGE_NOT_FOUND", `No value is stored under ${JSON.stringify(key)} in ${this.location}`, {
        where: { key },
      });
    }
    return data.slice();
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    validateStorageKey(key);
    // One synchronous Map.set: readers see the old bytes or the new ones, never a mix.
    this.#entries.set(key, Uint8Array.from(data));
  }

  async exists(key: string): Promise<boolean> {
    validateStorageKey(key);
    return this.#entries.has(key);
  }

  async delete(key: string): Promise<void> {
    validateStorageKey(key);
    this.#entries.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    validateStoragePrefix(prefix);
    return [...this.#entries.keys()].filter((key) => key.startsWith(prefix)).sort(compareBytes);
  }
}

/** Byte order of the UTF-8 encodings, as the port promises (UTF-16 order differs above U+FFFF). */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
