import { DictStorage } from "@assay/storage-dict";
import { JsonFormatter } from "@assay/formatter-json";
import type { Storage } from "@assay/ports";
import { ResultStore } from "../../src/store/result-store.js";

/** Wraps a storage and counts its calls, to check the per-result write cost. */
export class CountingStorage implements Storage {
  writes: string[] = [];
  reads = 0;
  lists = 0;
  failWrites: ((key: string) => boolean) | null = null;
  constructor(readonly inner: Storage) {}
  get location() {
    return this.inner.location;
  }
  async read(key: string) {
    this.reads++;
    return this.inner.read(key);
  }
  async write(key: string, data: Uint8Array) {
    if (this.failWrites?.(key)) throw new Error(`disk full writing ${key}`);
    this.writes.push(key);
    return this.inner.write(key, data);
  }
  exists(key: string) {
    return this.inner.exists(key);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  async list(prefix: string) {
    this.lists++;
    return this.inner.list(prefix);
  }
}

export function memoryStore(): { store: ResultStore; storage: CountingStorage } {
  const storage = new CountingStorage(new DictStorage("memory:test"));
  return { store: new ResultStore(storage, new JsonFormatter()), storage };
}
