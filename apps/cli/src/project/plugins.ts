import { ConfigError, validateStandard, PluginError, type ErrorLocation, type PluginKind, type PluginOf } from "@assay/ports";
import { CONFIG_FILE_NAME, DEFAULTS_FILE, type RegisteredPlugin } from "@assay/core";
import type { Project } from "../cli.js";

/**
 * Refuses to go on outside a project: commands that read test sets, specs or the results store
 * would otherwise work silently on defaults in whatever folder they were started from.
 */
export function requireConfigFile(project: Project, cwd: string): void {
  if (project.source.file !== DEFAULTS_FILE) return;
  throw new ConfigError("CONFIG_NOT_FOUND", `No ${CONFIG_FILE_NAME} was found in ${cwd} or any folder above it`, {
    expected: "to be run inside an assay project (a folder with assay.config.yaml, or below one)",
    fix: "Change to the project's folder, give --config FILE, or create a project (assay demo generates one to start from).",
  });
}

/**
 * Refuses to go on when an entry of the config's `plugins:` list failed: the user asked for it
 * by name, so a broken one is an error even when nothing selects it yet.
 */
export function requireConfigPlugins(project: Project): void {
  const failed = project.plugins.find((p) => p.origin === "config" && p.error !== null);
  if (failed?.error) throw failed.error;
}

/**
 * The registered plugin of a kind and name. When a plugin of that kind and name was found but
 * failed to load, its own error explains more than "not installed" would.
 */
export function pluginFor<K extends PluginKind>(
  project: Project,
  kind: K,
  name: string,
  where?: ErrorLocation,
): RegisteredPlugin & { plugin: PluginOf<K> } {
  if (!project.registry.has(kind, name)) {
    const broken = project.plugins.find((p) => p.manifest?.kind === kind && p.manifest.name === name && p.error !== null);
    if (broken?.error) throw broken.error;
  }
  return project.registry.get(kind, name, where);
}

/**
 * Checks options against the plugin's schema and reports the first issue at its own key and
 * line (`domains.sales.backend.options.rows`), before anything is created.
 */
export async function checkOptions(
  project: Project,
  entry: RegisteredPlugin,
  options: unknown,
  optionsPath: ReadonlyArray<string | number>,
): Promise<void> {
  const result = await validateStandard(entry.plugin.optionsSchema, options ?? {});
  if (result.ok) return;
  const issue = result.issues[0]!;
  const issuePath = issue.path === "" ? [] : issue.path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const where = project.source.locate([...optionsPath, ...issuePath]);
  const { kind, name } = entry.plugin;
  throw new PluginError(
    "PLUGIN_OPTIONS_INVALID",
    `Invalid option for ${kind} "${name}"${issue.path ? ` at ${issue.path}` : ""}: ${issue.message}`,
    {
      where: { ...where, key: [...optionsPath, ...issuePath].join(".") },
      fix: `Correct the option in the config; ${entry.packageName ?? `the ${kind} plugin`} documents its options.`,
    },
  );
}
