import {
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
    throw new PluginError("PLUGIN_NOT_FOUND", `No ${kind} plugin named "${name}" is installed`, {
      where,
      expected: installed.length > 0 ? `one of the installed ${kind}s: ${installed.join(", ")}` : `an installed ${kind} plugin`,
      fix: `Install it (for example pnpm add -D @assay/${kind}-${name}), or choose an installed one.`,
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
    return validatePortInstance(kind, await create.call(entry.plugin, valid, context), labelOf(entry));
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
    return validatePortInstance("storage", await plugin.create(valid, { ...context, location }), labelOf(entry));
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

function labelOf(entry: RegisteredPlugin): string {
  return entry.packageName ?? `${entry.plugin.kind} "${entry.plugin.name}"`;
}
