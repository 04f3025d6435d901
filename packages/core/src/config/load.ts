import path from "node:path";
import type { z } from "zod";
import { ConfigError, isAssayError, schemeOf, type ErrorLocation } from "@assay/ports";
import { parseYamlSource, yamlIssueError, type YamlPath, type YamlSource } from "../yaml-source.js";
import { interpolateEnv } from "./env.js";
import { Redactor } from "./redact.js";
import { notRegularFile, readUserTextFile } from "../text-file.js";
import { AssayConfigFile, type AssayConfig, type ResolvedDomain } from "./schema.js";

/** The file assay looks for, walking up from the working directory. */
export const CONFIG_FILE_NAME = "assay.config.yaml";

/** `file` of a configuration that comes from no file at all. */
export const DEFAULTS_FILE = "<defaults>";

export interface LoadConfigOptions {
  /** Where the search for assay.config.yaml starts, and what --config is relative to. */
  cwd: string;
  /** An explicit config file (--config); it must exist. */
  configPath?: string;
  /** The environment `${env:NAME}` reads; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Where values of the loaded configuration came from, for messages found after loading. */
export interface ConfigSource {
  /** The config file as shown to the user, or "<defaults>". */
  file: string;
  /** File, line, column and dotted key of the value at `path` (or of its nearest parent). */
  locate(path: YamlPath, at?: "key" | "value"): ErrorLocation;
  /** Whether the file itself sets the value at `path` (as opposed to a default). */
  has(path: YamlPath): boolean;
}

export interface LoadedConfig {
  config: AssayConfig;
  /** Knows every secret read from the environment: pass all output through it. */
  redactor: Redactor;
  source: ConfigSource;
  /**
   * Unset `${env:NAME}` references inside plugin options: they matter only when that plugin is
   * created (so `assay show latest` works without the database password). Raise `error` then.
   */
  deferred: Array<{ path: YamlPath; error: ConfigError }>;
}

/** Plugin option subtrees, whose unset variables are reported when the plugin is created. */
function isPluginOptionsPath(p: YamlPath): boolean {
  const [a, b, c, d] = p;
  if ((a === "backend" || a === "storage") && b === "options") return true;
  if ((a === "notifiers" || a === "reporters") && typeof b === "number" && c === "options") return true;
  if (a === "connections" && c === "options") return true;
  return a === "domains" && c === "backend" && d === "options";
}

/** The deferred error for a plugin whose options are at `optionsPath`, if any. */
export function deferredErrorAt(loaded: Pick<LoadedConfig, "deferred">, optionsPath: YamlPath): ConfigError | undefined {
  return loaded.deferred.find((d) => optionsPath.every((segment, i) => d.path[i] === segment))?.error;
}

const FIX = "Every key is described under Configuration in the README of @assay/cli; assay config prints the configuration as assay resolved it.";

/**
 * Finds, parses, interpolates, validates and resolves assay.config.yaml. Without a file (and
 * without --config) the defaults apply with the working directory as project root, so that
 * commands such as `assay plugins` work anywhere. Errors are ConfigErrors located in the file,
 * with every secret already redacted.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd);
  const env = options.env ?? process.env;
  const file = options.configPath !== undefined ? await explicitConfigFile(cwd, options.configPath) : await findConfigFile(cwd);
  if (file === null) return fromDefaults(cwd);

  const shown = displayPath(cwd, file);
  const text = await readUserTextFile(file, shown, "CONFIG_INVALID", "config file");
  const yaml = parseYamlSource(text, shown);
  if (yaml.value === null || yaml.value === undefined) {
    throw new ConfigError("CONFIG_INVALID", `The config file ${shown} is empty (it holds no YAML value)`, {
      where: { file: shown },
      expected: "a YAML mapping with at least domains: (the domains, their stages and instances)",
      fix: "Write the configuration into it (see Configuration in the README), or delete it to use the defaults.",
    });
  }
  const source = configSource(yaml);
  const interpolated = interpolateEnv(yaml.value ?? {}, env, (p) => yaml.locate(p));
  const redactor = new Redactor(interpolated.secrets);
  const deferred = interpolated.missing
    .filter((m) => isPluginOptionsPath(m.path))
    .map((m) => ({ path: m.path, error: redactor.redactError(m.error) }));
  try {
    const now = interpolated.missing.find((m) => !isPluginOptionsPath(m.path));
    if (now) throw now.error;
    const parsed = AssayConfigFile.safeParse(interpolated.value);
    if (!parsed.success) throw configIssueError(yaml, parsed.error.issues[0]!);
    crossCheck(parsed.data, source);
    return { config: resolveConfig(parsed.data, file), redactor, source, deferred };
  } catch (error) {
    throw redactor.redactError(error);
  }
}

/**
 * The nearest assay.config.yaml in `cwd` or a folder above it, or null. Anything by that name
 * that is not a readable regular file (a folder, a dangling symbolic link, a loop, a pipe) is
 * an error naming it: walking past it would silently use another project's config and store.
 */
export async function findConfigFile(cwd: string): Promise<string | null> {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    const problem = await notRegularFile(candidate);
    if (problem === null) return candidate;
    if (problem !== "missing") throw unusableConfig(displayPath(cwd, candidate), problem);
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

async function explicitConfigFile(cwd: string, configPath: string): Promise<string> {
  const file = path.resolve(cwd, configPath);
  const problem = await notRegularFile(file);
  if (problem === null) return file;
  if (problem !== "missing") throw unusableConfig(configPath, problem);
  throw new ConfigError("CONFIG_NOT_FOUND", `Config file ${configPath} does not exist`, {
    where: { file: configPath },
    expected: `an existing ${CONFIG_FILE_NAME} file`,
    fix: "Check the path given to --config, or leave --config out to search from the working directory upward.",
  });
}

function fromDefaults(cwd: string): LoadedConfig {
  const defaults = AssayConfigFile.parse({});
  return {
    config: resolveConfig(defaults, null, cwd),
    redactor: new Redactor(),
    source: {
      file: DEFAULTS_FILE,
      locate: (p) => ({ key: p.map(String).join(".") || undefined }),
      has: () => false,
    },
    deferred: [],
  };
}

function configSource(yaml: YamlSource): ConfigSource {
  return {
    file: yaml.file,
    locate: (p, at) => yaml.locate(p, at),
    has: (p) => {
      let node: unknown = yaml.value;
      for (const segment of p) {
        if (node === null || typeof node !== "object" || !(segment in node)) return false;
        node = (node as Record<PropertyKey, unknown>)[segment];
      }
      return true;
    },
  };
}

/** A zod issue as a located ConfigError; a bad record key (a domain or stage name) names the key. */
function configIssueError(yaml: YamlSource, issue: z.core.$ZodIssue): ConfigError {
  if (issue.code === "invalid_key") {
    const key = String(issue.path[issue.path.length - 1]);
    const why = issue.issues[0]?.message ?? issue.message;
    return new ConfigError("CONFIG_INVALID", `Invalid name ${JSON.stringify(key)}: ${why}`, {
      where: { ...yaml.locate(issue.path, "key"), key: issue.path.map(String).join(".") },
      expected: "a name made of letters, digits, '_', '.' and '-'",
      fix: `Rename "${key}".`,
    });
  }
  return yamlIssueError(yaml, issue, "CONFIG_INVALID", "configuration", FIX);
}

/** What zod cannot see: relations between keys. */
function crossCheck(file: AssayConfigFile, source: ConfigSource): void {
  for (const [domain, settings] of Object.entries(file.domains)) {
    const stages = Object.keys(settings.stages);
    for (const stage of Object.keys(settings.specs)) {
      if (stages.includes(stage)) continue;
      throw new ConfigError("CONFIG_INVALID", `Spec folder given for stage "${stage}", which domain ${domain} does not declare`, {
        where: source.locate(["domains", domain, "specs", stage], "key"),
        expected: `one of the stages declared under domains.${domain}.stages: ${stages.join(", ")}`,
        fix: `Add "${stage}" to domains.${domain}.stages, or remove its spec folder.`,
      });
    }
  }
  try {
    schemeOf(file.storage.location);
  } catch (error) {
    if (!isAssayError(error)) throw error;
    const key = source.has(["storage", "location"]) ? ["storage", "location"] : ["storage"];
    throw new ConfigError("CONFIG_INVALID", `Storage location ${JSON.stringify(file.storage.location)} has no URL scheme`, {
      where: source.locate(key),
      expected: "a location such as file:.assay or memory:results",
      fix: "Prefix the location with the scheme of an installed storage plugin (file: for a folder).",
    });
  }
}

function resolveConfig(file: AssayConfigFile, configFile: string | null, cwd?: string): AssayConfig {
  const root = configFile !== null ? path.dirname(configFile) : path.resolve(cwd ?? ".");
  const domains = Object.fromEntries(
    Object.entries(file.domains).map(([name, settings]): [string, ResolvedDomain] => {
      const specs = Object.fromEntries(
        Object.keys(settings.stages).map((stage) => [stage, path.resolve(root, settings.specs[stage] ?? path.join("specs", name, stage))]),
      );
      const backend = settings.backend ?? file.backend;
      return [name, { ...settings, name, backend: { use: backend.use, options: structuredClone(backend.options) }, specs }];
    }),
  );
  return { ...file, file: configFile ?? DEFAULTS_FILE, root, testsets: path.resolve(root, file.testsets), domains };
}

function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

function unusableConfig(shown: string, problem: string): ConfigError {
  return new ConfigError("CONFIG_INVALID", `The config file ${shown} cannot be used: ${problem}`, {
    where: { file: shown },
    expected: `${CONFIG_FILE_NAME} as a regular file`,
    fix: "Replace it with the project's config file, or remove it (assay does not fall back to another folder's config when this one is broken).",
  });
}
