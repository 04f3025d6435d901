import { AssayError, type Storage } from "@assay/ports";

/** Default deadline of one call to a plugin outside a test case (storage, notifier, reporter, backend creation and closing). */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** A call to a plugin that did not settle before its deadline: the plugin is named. */
export class PluginTimeout extends AssayError {
  constructor(what: string, readonly ms: number) {
    super("PLUGIN_TIMEOUT", `${what} did not answer within ${ms} ms`, {
      fix: "assay went on without it. Check the plugin (or the service behind it), or raise run.callTimeoutMs in the config.",
    });
    this.name = "PluginTimeout";
  }
}

/**
 * `work` raced against a deadline: it settles as `work` does, or rejects with PluginTimeout
 * naming `what` after `ms`. The late outcome of `work` is discarded (never unhandled): a plugin
 * whose promise never settles cannot hold assay.
 */
export async function withDeadline<T>(work: Promise<T> | T, ms: number, what: string): Promise<T> {
  const pending = Promise.resolve(work);
  pending.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // Not unref'd: a promise that never settles holds no handle, and the process must wait for
    // the deadline rather than exit in the middle of the run.
    timer = setTimeout(() => reject(new PluginTimeout(what, ms)), ms);
  });
  try {
    return await Promise.race([pending, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `call` (which may throw synchronously) under a deadline. */
export function callWithDeadline<T>(call: () => Promise<T> | T, ms: number, what: string): Promise<T> {
  let work: Promise<T> | T;
  try {
    work = call();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return withDeadline(work, ms, what);
}

/**
 * A storage whose every call has a deadline (`show`, `list runs` and the run read and write
 * through it): a storage that never answers is named instead of holding the CLI.
 */
export function boundedStorage(storage: Storage, ms: number): Storage {
  const what = `The storage ${storage.location}`;
  return {
    get location() {
      return storage.location;
    },
    read: (key) => callWithDeadline(() => storage.read(key), ms, what),
    write: (key, data) => callWithDeadline(() => storage.write(key, data), ms, what),
    exists: (key) => callWithDeadline(() => storage.exists(key), ms, what),
    delete: (key) => callWithDeadline(() => storage.delete(key), ms, what),
    list: (prefix) => callWithDeadline(() => storage.list(prefix), ms, what),
  };
}
