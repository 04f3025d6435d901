import { isAssayError, PluginError, schemeOf, validatePortInstance, validateStandard, type AssayError, type AssayPlugin } from "@assay/ports";
import { callWithDeadline, deferredErrorAt } from "@assay/core";
import type { Project } from "../cli.js";

/** What `assay plugins` found when it created a plugin's instance. */
export type InstanceCheck = { state: "ok" } | { state: "failed"; error: AssayError } | { state: "not checked"; why: string };

/** The longest an instance check waits for create() or close(). */
const CHECK_TIMEOUT_MS = 10_000;

/** The options the config gives the plugin, when it selects it (and every variable they read is set). */
function configuredOptions(project: Project, plugin: AssayPlugin): unknown {
  const { config } = project;
  if (plugin.kind === "notifier") {
    const index = config.notifiers.findIndex((n) => n.use === plugin.name);
    if (index >= 0 && !deferredErrorAt(project, ["notifiers", index, "options"])) return config.notifiers[index]!.options;
  }
  if (plugin.kind === "backend") {
    const domain = Object.values(config.domains).find((d) => d.backend.use === plugin.name);
    if (domain && !deferredErrorAt(project, ["domains", domain.name, "backend", "options"]) && !deferredErrorAt(project, ["backend", "options"])) return domain.backend.options;
    if (config.backend.use === plugin.name && !deferredErrorAt(project, ["backend", "options"])) return config.backend.options;
  }
  return {};
}

/**
 * The third validation stage for `assay plugins`: creates the plugin's instance (with the
 * options the config gives it, else its defaults) and checks it against its port, then closes
 * it. Nothing connects or writes: backends and storages open lazily. A plugin whose options
 * have no defaults and that the config does not select, and a storage that does not serve the
 * config's location, are not checked.
 */
export async function checkInstance(project: Project, plugin: AssayPlugin, label: string): Promise<InstanceCheck> {
  const isStorage = plugin.kind === "storage";
  const location = project.config.storage.location;
  if (plugin.kind === "storage" && !plugin.schemes.includes(schemeOf(location))) {
    return { state: "not checked", why: `it does not serve ${location}` };
  }
  const options = isStorage ? project.config.storage.options : configuredOptions(project, plugin);
  const valid = await validateStandard(plugin.optionsSchema, options ?? {});
  if (!valid.ok) return { state: "not checked", why: "it needs options the config does not give it" };
  try {
    const context = isStorage ? { ...project.context, location } : project.context;
    const create = (plugin as { create: (options: unknown, context: unknown) => unknown }).create;
    const instance: unknown = await callWithDeadline(() => create.call(plugin, valid.value, context) as Promise<unknown>, CHECK_TIMEOUT_MS, `${label} (creating it)`);
    validatePortInstance(plugin.kind, instance, label);
    const close = (instance as { close?: () => unknown }).close;
    if (typeof close === "function") await callWithDeadline(() => close.call(instance) as Promise<unknown>, CHECK_TIMEOUT_MS, `${label} (closing it)`).catch(() => undefined);
    return { state: "ok" };
  } catch (error) {
    if (isAssayError(error)) return { state: "failed", error };
    return { state: "failed", error: new PluginError("PLUGIN_INSTANCE_INVALID", `${label}: create() failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error }) };
  }
}
