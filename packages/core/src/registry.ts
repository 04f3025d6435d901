import {
  isAssayError,
  PluginError,
  schemeOf,
  validatePortInstance,
  validateStandard,
  type AssayPlugin,
  type ErrorLocation,
  type PluginContext,
  type PluginKind,
  type PluginOf,
  type PortByKind,
  type Storage,
} from "@assay/ports";

/** Where a plugin was found, highest precedence first. */
export type PluginOrigin = "code" | "config" | "project" | "bundled";
const PRECEDENCE: Record<PluginOrigin, number> = { code: 0, config: 1, project: 2, bundled: 3 };

export interface PluginInfo {
  packageName: string | null;
  version: string | null;
  origin: PluginOrigin;
  /** Folder or file the plugin was loaded from. */
  source: string | null;
}

export interface RegisteredPlugin extends PluginInfo {
  plugin: AssayPlugin;
  /** Same kind and name registered with lower precedence, hidden by this one. */
  shadows: PluginInfo[];
}

/**
 * The plugins a run can use, by kind and name: the seed's `map`. Usable from code:
 * `new PluginRegistry().register(duckdb)` and then `create("backend", "duckdb", options, ctx)`.
 */
export class PluginRegistry {
  readonly #byKey = new Map<string, RegisteredPlugin>();

  register(plugin: AssayPlugin, info: Partial<PluginInfo> = {}): this {
    const entry: RegisteredPlugin = {
      plugin,
      packageName: info.packageName ?? null,
      version: info.version ?? null,
      origin: info.origin ?? "code",
      source: info.source ?? null,
      shadows: [],
    };
    const key = `${plugin.kind}:${plugin.name}`;
    const existing = this.#byKey.get(key);
    if (!existing) {
      this.#byKey.set(key, entry);
      return this;
    }
    if (existing.packageName !== null && existing.packageName === entry.packageName && existing.origin === entry.origin) return this;
    const order = PRECEDENCE[entry.origin] - PRECEDENCE[existing.origin];
    if (order === 0) {
      const label = (e: PluginInfo) => `${e.packageName ?? "(code)"}${e.source ? ` at ${e.source}` : ""}`;
      throw new PluginError(
        "PLUGIN_DUPLICATE",
        `Two plugins register ${plugin.kind} "${plugin.name}": ${label(existing)} and ${label(entry)}`,
        { fix: "Keep one of them: remove the other from plugins: or from the project's dependencies." },
      );
    }
    if (order < 0) {
      const { shadows, plugin: _p, ...info } = existing;
      this.#byKey.set(key, { ...entry, shadows: [info, ...shadows] });
    } else {
      const { shadows: _s, plugin: _p, ...info } = entry;
      existing.shadows.push(info);
    }
    return this;
  }

  has(kind: PluginKind, name: string): boolean {
    return this.#byKey.has(`${kind}:${name}`);
  }

  list(kind?: PluginKind): RegisteredPlugin[] {
    return [...this.#byKey.values()]
      .filter((e) => kind === undefined || e.plugin.kind === kind)
      .sort((a, b) => a.plugin.kind.localeCompare(b.plugin.kind) || a.plugin.name.localeCompare(b.plugin.name));
  }

  names(kind: PluginKind): string[] {
    return this.list(kind).map((e) => e.plugin.name);
  }

  get<K extends PluginKind>(kind: K, name: string, where?: ErrorLocation): RegisteredPlugin & { plugin: PluginOf<K> } {
    const entry = this.#byKey.get(`${kind}:${name}`);
    if (entry) return entry as RegisteredPlugin & { plugin: PluginOf<K> };
    const installed = this.names(kind);
    const official = OFFICIAL_PLUGINS[kind] ?? [];
    const near = nearestName(name, [...new Set([...installed, ...official])]);
    const fix =
      near === null
        ? official.includes(name)
          ? `Install it: pnpm add -D @assay/${kind}-${name} (or npm install -D).`
          : `Choose an installed ${kind}, or install the package that provides "${name}" (assay plugins lists what is installed).`
        : installed.includes(near)
          ? `Did you mean "${near}"? It is installed.`
          : `Did you mean "${near}"? Install it: pnpm add -D @assay/${kind}-${near} (or npm install -D).`;
    throw new PluginError("PLUGIN_NOT_FOUND", `No ${kind} plugin named "${name}" is installed`, {
      where,
      expected: installed.length > 0 ? `one of the installed ${kind}s: ${installed.join(", ")}` : `an installed ${kind} plugin`,
      fix,
    });
  }

  /** Validates `options` with the plugin's schema, creates the instance and checks it against its port. */
  async create<K extends Exclude<PluginKind, "storage">>(
    kind: K,
    name: string,
    options: unknown,
    context: PluginContext,
    where?: ErrorLocation,
  ): Promise<PortByKind[K]> {
    const entry = this.get(kind, name, where);
    const valid = await this.#options(entry, options, where);
    const create = (entry.plugin as { create: (options: unknown, context: PluginContext) => Promise<unknown> }).create;
    return validatePortInstance(kind, await created(entry, () => create.call(entry.plugin, valid, context), where), labelOf(entry));
  }

  /** Picks the storage plugin by the location's URL scheme. */
  async createStorage(location: string, options: unknown, context: PluginContext, where?: ErrorLocation): Promise<Storage> {
    const scheme = schemeOf(location);
    const entry = this.list("storage").find((e) => (e.plugin as PluginOf<"storage">).schemes.includes(scheme));
    if (!entry) {
      const served = this.list("storage").flatMap((e) => (e.plugin as PluginOf<"storage">).schemes.map((s) => `${s}:`));
      throw new PluginError("STORAGE_SCHEME_UNKNOWN", `No storage plugin serves the scheme "${scheme}:" of ${location}`, {
        where,
        expected: served.length > 0 ? `a location starting with ${served.join(", ")}` : "an installed storage plugin",
        fix: `Use one of those schemes, or install a storage plugin for "${scheme}:".`,
      });
    }
    const plugin = entry.plugin as PluginOf<"storage">;
    const valid = await this.#options(entry, options, where);
    return validatePortInstance("storage", await created(entry, () => plugin.create(valid, { ...context, location }), where), labelOf(entry));
  }

  async #options(entry: RegisteredPlugin, options: unknown, where?: ErrorLocation): Promise<unknown> {
    const result = await validateStandard(entry.plugin.optionsSchema, options ?? {});
    if (result.ok) return result.value;
    const issue = result.issues[0]!;
    const base = where?.key ? `${where.key}.options` : "options";
    throw new PluginError(
      "PLUGIN_OPTIONS_INVALID",
      `Invalid option for ${entry.plugin.kind} "${entry.plugin.name}"${issue.path ? ` at ${issue.path}` : ""}: ${issue.message}`,
      {
        where: { ...where, key: issue.path ? `${base}.${issue.path}` : base },
        fix: `Correct the option in the config; ${labelOf(entry)} documents its options.`,
      },
    );
  }
}

/** Names of the plugins published as @assay/<kind>-<name>: what a misspelt name is matched against. */
const OFFICIAL_PLUGINS: Partial<Record<string, string[]>> = {
  backend: ["duckdb", "postgres", "demo", "dummy"],
  storage: ["file", "dict"],
  formatter: ["json"],
  notifier: ["stdout", "memory"],
};

/** The known name closest to `name` (edit distance at most a third of its length, and 2), or null. */
export function nearestName(name: string, known: readonly string[]): string | null {
  const limit = Math.min(2, Math.max(1, Math.floor(name.length / 3)));
  let best: { name: string; distance: number } | null = null;
  for (const candidate of known) {
    if (candidate === name) continue;
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === null || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name ?? null;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit ("duckbd"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * A plugin's create(): an AssayError passes as it is (a backend that cannot connect says so);
 * anything else thrown while creating it from validated options (`new URL("::")` in a driver:
 * "Invalid URL") means the options are unusable, and is reported at their key in the config.
 */
async function created(entry: RegisteredPlugin, create: () => Promise<unknown>, where?: ErrorLocation): Promise<unknown> {
  try {
    return await create();
  } catch (error) {
    if (isAssayError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new PluginError("PLUGIN_OPTIONS_INVALID", `${labelOf(entry)} could not be created from its options: ${message.replace(/\.$/, "")}`, {
      where: { ...where, key: where?.key ? `${where.key.replace(/\.use$/, "")}.options` : "options" },
      expected: `options that ${entry.plugin.kind} "${entry.plugin.name}" accepts`,
      fix: `Correct the options in the config; ${labelOf(entry)} documents them.`,
      cause: error,
    });
  }
}

function labelOf(entry: RegisteredPlugin): string {
  return entry.packageName ?? `${entry.plugin.kind} "${entry.plugin.name}"`;
}
