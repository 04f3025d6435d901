import { StorageError } from "./errors.js";
import type { PluginContext } from "./backend.js";

/**
 * Bytes under keys inside one root location. Keys are relative, `/`-separated paths.
 * Writes are atomic: a reader sees the old bytes or the new ones, never a mix or nothing.
 */
export interface Storage {
  /** The location this storage was created for, e.g. `file:.assay`. */
  readonly location: string;
  /** Throws StorageError STORAGE_NOT_FOUND when the key is absent. */
  read(key: string): Promise<Uint8Array>;
  write(key: string, data: Uint8Array): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Removing an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`, sorted ascending (byte order). */
  list(prefix: string): Promise<string[]>;
}

export interface StorageContext extends PluginContext {
  /** The full location URL the storage serves, e.g. `file:.assay` or `memory:results`. */
  location: string;
}

export const STORAGE_METHODS = ["read", "write", "exists", "delete", "list"] as const;

export interface StorageFactory<Options = unknown> {
  /** URL schemes served, without the colon: `file`, `memory`. */
  readonly schemes: readonly string[];
  create(options: Options, context: StorageContext): Promise<Storage>;
}

/**
 * The one rule for keys, shared by every storage so that a key valid on one is valid on all:
 * non-empty relative segments of printable characters; no `..` or `.` segment, no absolute path,
 * no backslash, no NUL or other control character, no empty segment.
 */
export function validateStorageKey(key: string): void {
  const refuse = (why: string): never => {
    throw new StorageError("STORAGE_KEY_INVALID", `Storage key ${JSON.stringify(key)} is refused: ${why}`, {
      expected: "a relative path of non-empty segments separated by '/', without '..', '\\' or control characters",
    });
  };
  if (typeof key !== "string" || key.length === 0) refuse("it is empty");
  if (key.length > 1024) refuse("it is longer than 1024 characters");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) refuse("it contains a NUL or control character");
  if (key.includes("\\")) refuse("it contains a backslash");
  if (key.startsWith("/") || /^[A-Za-z]:/.test(key)) refuse("it is an absolute path");
  for (const segment of key.split("/")) {
    if (segment === "") refuse("it has an empty segment");
    if (segment === "." || segment === "..") refuse(`it has a '${segment}' segment`);
    if (segment.startsWith(RESERVED_KEY_PREFIX)) refuse(`segments starting with '${RESERVED_KEY_PREFIX}' are reserved for temporary files`);
  }
}

/** Storages may use names with this prefix for temporary files; no key can name one. */
export const RESERVED_KEY_PREFIX = ".assay-tmp-";

/**
 * A prefix may be empty; its complete segments (before the last '/') follow the key rule, and
 * its partial last segment (e.g. `runs/.` or `runs/2026-`) only must not contain '\\' or controls.
 */
export function validateStoragePrefix(prefix: string): void {
  if (prefix === "") return;
  const cut = prefix.lastIndexOf("/");
  if (cut > 0) validateStorageKey(prefix.slice(0, cut));
  if (cut === 0) validateStorageKey(prefix);
  const partial = prefix.slice(cut + 1);
  // eslint-disable-next-line no-control-regex
  if (partial.includes("\\") || /[\u0000-\u001f\u007f]/.test(partial)) validateStorageKey(prefix);
}

/** `file:.assay` → `file`; throws for a location without a scheme. */
export function schemeOf(location: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location);
  if (!match || /^[A-Za-z]:[\\/]/.test(location)) {
    throw new StorageError("STORAGE_SCHEME_UNKNOWN", `Storage location ${JSON.stringify(location)} has no URL scheme`, {
      expected: "a location such as file:.assay or memory:results",
      fix: "Prefix the location with the scheme of an installed storage plugin.",
    });
  }
  return match[1]!.toLowerCase();
}
