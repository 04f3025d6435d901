import { z } from "zod";
import {
  BACKEND_CAPABILITY_METHODS,
  BACKEND_REQUIRED_METHODS,
  BackendCapabilities,
  type Backend,
  type PluginContext,
} from "./backend.js";
import { PluginError } from "./errors.js";
import { FORMATTER_METHODS, type Formatter } from "./formatter.js";
import { NOTIFIER_METHODS, type Notifier } from "./notifier.js";
import { REPORTER_METHODS, type Reporter } from "./reporter.js";
import { isStandardSchema, type StandardSchemaV1 } from "./standard-schema.js";
import { STORAGE_METHODS, type Storage, type StorageContext } from "./storage.js";

/** The plugin API this build of @assay/ports implements. Bumped only on breaking changes. */
export const PORTS_API_VERSION = 1;
/** Plugin apiVersions this build can load. */
export const SUPPORTED_API_VERSIONS: readonly number[] = [1];

export const PluginKind = z.enum(["backend", "storage", "formatter", "notifier", "reporter"]);
export type PluginKind = z.infer<typeof PluginKind>;

const pluginName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, "must be lower-case letters, digits and '-', starting with a letter");

/** The `assay` field of a plugin's package.json, read before any of its code runs. */
export const PluginManifest = z.object({
  apiVersion: z.number().int().positive(),
  kind: PluginKind,
  name: pluginName,
  description: z.string().optional(),
});
export type PluginManifest = z.infer<typeof PluginManifest>;

export interface PortByKind {
  backend: Backend;
  storage: Storage;
  formatter: Formatter;
  notifier: Notifier;
  reporter: Reporter;
}

interface PluginCommon<K extends PluginKind, Options> {
  kind: K;
  name: string;
  apiVersion: number;
  description?: string;
  /** Any Standard Schema (zod, valibot, arktype); checked through `~standard`, never instanceof. */
  optionsSchema: StandardSchemaV1<unknown, Options>;
}

export interface BackendPlugin<Options = unknown> extends PluginCommon<"backend", Options> {
  create(options: Options, context: PluginContext): Promise<Backend>;
}
export interface StoragePlugin<Options = unknown> extends PluginCommon<"storage", Options> {
  /** URL schemes served, without the colon. */
  schemes: readonly string[];
  create(options: Options, context: StorageContext): Promise<Storage>;
}
export interface FormatterPlugin<Options = unknown> extends PluginCommon<"formatter", Options> {
  create(options: Options, context: PluginContext): Promise<Formatter>;
}
export interface NotifierPlugin<Options = unknown> extends PluginCommon<"notifier", Options> {
  create(options: Options, context: PluginContext): Promise<Notifier>;
}

export interface ReporterPlugin<Options = unknown> extends PluginCommon<"reporter", Options> {
  create(options: Options, context: PluginContext): Promise<Reporter>;
}

export type AssayPlugin<Options = unknown> =
  | BackendPlugin<Options>
  | StoragePlugin<Options>
  | FormatterPlugin<Options>
  | NotifierPlugin<Options>
  | ReporterPlugin<Options>;

export type PluginOf<K extends PluginKind> = Extract<AssayPlugin, { kind: K }>;

/**
 * Declares a plugin; its package's default export. Typing only, plus a freeze: validation
 * happens when assay loads it, so that a broken plugin gets a clear message, not a crash.
 */
export function definePlugin<Options, P extends AssayPlugin<Options>>(plugin: P & { optionsSchema: StandardSchemaV1<unknown, Options> }): P {
  return Object.freeze(plugin);
}

/** Stage 1: the package.json `assay` manifest, before anything is imported. */
export function validateManifest(packageJson: unknown, source: string): PluginManifest {
  const pkg = (packageJson ?? {}) as { name?: unknown; assay?: unknown };
  const label = typeof pkg.name === "string" ? pkg.name : source;
  if (pkg.assay === undefined) {
    throw new PluginError("PLUGIN_MANIFEST_INVALID", `Package ${label} is not an assay plugin: its package.json has no "assay" field`, {
      where: { file: source, key: "assay" },
      expected: `"assay": { "apiVersion": ${PORTS_API_VERSION}, "kind": "backend", "name": "..." }`,
      fix: "Remove it from the plugins list, or add the manifest to the package.",
    });
  }
  const parsed = PluginManifest.safeParse(pkg.assay);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = ["assay", ...issue.path.map(String)].join(".");
    throw new PluginError("PLUGIN_MANIFEST_INVALID", `Package ${label} has an invalid assay manifest: ${issue.message}`, {
      where: { file: source, key },
      expected: `kind one of ${PluginKind.options.join(", ")}, a lower-case name and an integer apiVersion`,
      fix: "Fix the manifest in the plugin's package.json, or ask its author to.",
    });
  }
  const manifest = parsed.data;
  if (!SUPPORTED_API_VERSIONS.includes(manifest.apiVersion)) {
    const newer = manifest.apiVersion > PORTS_API_VERSION;
    throw new PluginError(
      "PLUGIN_API_VERSION",
      `Plugin ${label} (${manifest.kind} "${manifest.name}") is written for assay plugin API ${manifest.apiVersion}, which this assay does not support`,
      {
        where: { file: source, key: "assay.apiVersion" },
        expected: `apiVersion ${SUPPORTED_API_VERSIONS.join(" or ")}`,
        fix: newer
          ? "Upgrade assay (pnpm add -D @assay/cli@latest) to a version that supports it."
          : `Upgrade the plugin to a version built for plugin API ${PORTS_API_VERSION}.`,
      },
    );
  }
  return manifest;
}

/** Stage 2: the module's default export, compared with the manifest it was found by. */
export function validatePluginModule(moduleNamespace: unknown, manifest: PluginManifest, label: string): AssayPlugin {
  const candidate = (moduleNamespace as { default?: unknown } | null)?.default;
  const fail = (what: string, fix = "Export `definePlugin({ kind, name, apiVersion, optionsSchema, create })` as the module's default export."): never => {
    throw new PluginError("PLUGIN_MODULE_INVALID", `Plugin ${label} cannot be used: ${what}`, { fix });
  };
  if (candidate === null || typeof candidate !== "object") fail("its module has no default export object");
  const plugin = candidate as Record<string, unknown>;
  if (plugin.kind !== manifest.kind) fail(`its default export has kind ${JSON.stringify(plugin.kind)} but its manifest says "${manifest.kind}"`);
  if (plugin.name !== manifest.name) fail(`its default export has name ${JSON.stringify(plugin.name)} but its manifest says "${manifest.name}"`);
  if (plugin.apiVersion !== manifest.apiVersion) fail(`its default export has apiVersion ${JSON.stringify(plugin.apiVersion)} but its manifest says ${manifest.apiVersion}`);
  if (!isStandardSchema(plugin.optionsSchema)) fail("its optionsSchema is not a Standard Schema (zod 3.24+, valibot 1, arktype 2)");
  if (typeof plugin.create !== "function") fail("it has no create() function");
  if (manifest.kind === "storage") {
    const schemes = plugin.schemes;
    if (!Array.isArray(schemes) || schemes.length === 0 || !schemes.every((s) => typeof s === "string" && /^[a-z][a-z0-9+.-]*$/.test(s))) {
      fail("a storage plugin must list the URL schemes it serves in `schemes`, e.g. [\"file\"]");
    }
  }
  return candidate as AssayPlugin;
}

const METHODS_BY_KIND: Record<PluginKind, readonly string[]> = {
  backend: BACKEND_REQUIRED_METHODS,
  storage: STORAGE_METHODS,
  formatter: FORMATTER_METHODS,
  notifier: NOTIFIER_METHODS,
  reporter: REPORTER_METHODS,
};

/** Stage 3: the object create() returned, against its port. Returns it typed. */
export function validatePortInstance<K extends PluginKind>(kind: K, instance: unknown, label: string): PortByKind[K] {
  const fail = (what: string): never => {
    throw new PluginError("PLUGIN_INSTANCE_INVALID", `Plugin ${label} created a ${kind} that does not implement the ${kind} port: ${what}`, {
      fix: `Ask the plugin's author to run describe${kind[0]!.toUpperCase()}${kind.slice(1)}Contract from @assay/ports/testing, or use another plugin.`,
    });
  };
  if (instance === null || typeof instance !== "object") fail(`create() returned ${instance === null ? "null" : typeof instance}`);
  const obj = instance as Record<string, unknown>;
  const missing = METHODS_BY_KIND[kind].filter((m) => typeof obj[m] !== "function");
  if (missing.length > 0) fail(`missing method${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  if (kind === "backend") {
    const caps = BackendCapabilities.safeParse(obj.capabilities);
    if (!caps.success) fail("its `capabilities` is missing or malformed");
    const declared = caps.data!;
    for (const [cap, methods] of Object.entries(BACKEND_CAPABILITY_METHODS)) {
      if (!declared[cap as keyof BackendCapabilities]) continue;
      const absent = methods.filter((m) => typeof obj[m] !== "function");
      if (absent.length > 0) fail(`capability ${cap} is declared but ${absent.join(", ")} is missing`);
    }
  }
  if (kind === "formatter" && (typeof obj.name !== "string" || typeof obj.extension !== "string")) {
    fail("a formatter needs string `name` and `extension`");
  }
  if (kind === "reporter" && (typeof obj.extension !== "string" || !/^[a-z0-9]+$/.test(obj.extension) || typeof obj.mediaType !== "string")) {
    fail("a reporter needs a lower-case `extension` (e.g. \"xml\") and a string `mediaType`");
  }
  return instance as PortByKind[K];
}
