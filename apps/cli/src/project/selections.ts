import { PluginError, schemeOf, type Backend, type Formatter, type Notifier, type PluginKind, type PluginOf, type Storage } from "@assay/ports";
import { deferredErrorAt, type RegisteredPlugin } from "@assay/core";
import type { Project } from "../cli.js";
import { checkOptions, pluginFor } from "./plugins.js";

type Path = Array<string | number>;

/** One plugin the config selects, with the keys it was written at (for messages). */
interface Selection {
  kind: Exclude<PluginKind, "storage">;
  name: string;
  options: unknown;
  usePath: Path;
  optionsPath: Path;
}

/** The path of a selection written either as `name` or as `{ use, options }`. */
function selectionPaths(project: Project, base: Path): { usePath: Path; optionsPath: Path } {
  const long = project.source.has([...base, "use"]);
  return { usePath: long ? [...base, "use"] : base, optionsPath: [...base, "options"] };
}

function backendSelection(project: Project, domain: string): Selection {
  const resolved = project.config.domains[domain];
  if (!resolved) throw new Error(`Unknown domain ${domain}`);
  const base = project.source.has(["domains", domain, "backend"]) ? ["domains", domain, "backend"] : ["backend"];
  return { kind: "backend", name: resolved.backend.use, options: resolved.backend.options, ...selectionPaths(project, base) };
}

function connectionSelection(project: Project, name: string): Selection {
  const connection = project.config.connections[name];
  if (!connection) throw new Error(`Unknown connection ${name}`);
  return { kind: "backend", name: connection.use, options: connection.options, ...selectionPaths(project, ["connections", name]) };
}

function formatterSelection(project: Project): Selection {
  return { kind: "formatter", name: project.config.format, options: {}, usePath: ["format"], optionsPath: ["format"] };
}

function notifierSelections(project: Project): Selection[] {
  return project.config.notifiers.map((notifier, index) => ({
    kind: "notifier",
    name: notifier.use,
    options: notifier.options,
    ...selectionPaths(project, ["notifiers", index]),
  }));
}

/** An unset ${env:NAME} in these options is an error only now that the plugin is needed. */
function requireEnv(project: Project, optionsPath: Path): void {
  const missing = deferredErrorAt(project, optionsPath);
  if (missing) throw missing;
}

async function checked<K extends Selection["kind"]>(project: Project, selection: Selection & { kind: K }): Promise<RegisteredPlugin & { plugin: PluginOf<K> }> {
  const entry = pluginFor(project, selection.kind, selection.name, project.source.locate(selection.usePath));
  requireEnv(project, selection.optionsPath);
  await checkOptions(project, entry, selection.options, selection.optionsPath);
  return entry;
}

function storagePaths(project: Project): { locationPath: Path; optionsPath: Path } {
  const long = project.source.has(["storage", "location"]);
  return { locationPath: long ? ["storage", "location"] : ["storage"], optionsPath: ["storage", "options"] };
}

/** The storage plugin serving the configured location's scheme, its options checked. */
async function checkedStorage(project: Project): Promise<RegisteredPlugin> {
  const { location, options } = project.config.storage;
  const { locationPath, optionsPath } = storagePaths(project);
  requireEnv(project, optionsPath);
  const scheme = schemeOf(location);
  const storages = project.registry.list("storage");
  const entry = storages.find((e) => (e.plugin as PluginOf<"storage">).schemes.includes(scheme));
  if (!entry) {
    // A storage plugin for this scheme that failed to load explains more than "none serves it".
    const broken = project.plugins.find((p) => p.manifest?.kind === "storage" && p.manifest.name === scheme && p.error !== null);
    if (broken?.error) throw broken.error;
    const served = storages.flatMap((e) => (e.plugin as PluginOf<"storage">).schemes.map((s) => `${s}:`));
    throw new PluginError("STORAGE_SCHEME_UNKNOWN", `No installed storage plugin serves the scheme "${scheme}:" of ${location}`, {
      where: project.source.locate(locationPath),
      expected: served.length > 0 ? `a location starting with ${served.join(", ")}` : "an installed storage plugin",
      fix: `Use one of those schemes, or install a storage plugin for "${scheme}:".`,
    });
  }
  await checkOptions(project, entry, options, optionsPath);
  return entry;
}

/**
 * Checks every plugin the config selects (storage, formatter, notifiers, the backends of the
 * given domains, or of every domain) and its options, without creating anything.
 */
export async function checkSelections(project: Project, domains: string[] = Object.keys(project.config.domains)): Promise<void> {
  await checkedStorage(project);
  await checked(project, formatterSelection(project));
  for (const notifier of notifierSelections(project)) await checked(project, notifier);
  for (const domain of domains) await checked(project, backendSelection(project, domain));
  for (const name of Object.keys(project.config.connections)) await checked(project, connectionSelection(project, name));
  // The default backend matters on its own only when the file sets it and no domain uses it.
  if (domains.length === 0 && project.source.has(["backend"])) {
    await checked(project, { kind: "backend", name: project.config.backend.use, options: project.config.backend.options, ...selectionPaths(project, ["backend"]) });
  }
}

export async function createStorage(project: Project): Promise<Storage> {
  await checkedStorage(project);
  const { location, options } = project.config.storage;
  return project.registry.createStorage(location, options, project.context, project.source.locate(storagePaths(project).locationPath));
}

export async function createFormatter(project: Project): Promise<Formatter> {
  const selection = formatterSelection(project);
  await checked(project, selection);
  return project.registry.create("formatter", selection.name, selection.options, project.context, project.source.locate(selection.usePath));
}

/** The config's name of each notifier created here (`stdout`, `webhook`): warnings about one name it. */
export const notifierNames = new WeakMap<Notifier, string>();

export async function createNotifiers(project: Project, extra: Notifier[] = []): Promise<Notifier[]> {
  const notifiers: Notifier[] = [];
  for (const selection of notifierSelections(project)) {
    await checked(project, selection);
    const notifier = await project.registry.create("notifier", selection.name, selection.options, project.context, project.source.locate(selection.usePath));
    notifierNames.set(notifier, selection.name);
    notifiers.push(notifier);
  }
  return [...notifiers, ...extra];
}

/** Checks the domain's backend now; creates it when the run asks (the runner owns its life). */
export async function backendFactory(project: Project, domain: string): Promise<() => Promise<Backend>> {
  const selection = backendSelection(project, domain);
  await checked(project, selection);
  return () => project.registry.create("backend", selection.name, selection.options, project.context, project.source.locate(selection.usePath));
}

/**
 * Creates a named connection of `connections:` when a run first needs it: its plugin and
 * options are checked then (an unset ${env:NAME} in a connection no spec uses is no error).
 */
export function connectionFactory(project: Project): (name: string) => Promise<Backend> {
  return async (name) => {
    const selection = connectionSelection(project, name);
    await checked(project, selection);
    return project.registry.create("backend", selection.name, selection.options, project.context, project.source.locate(selection.usePath));
  };
}
