import { Command } from "commander";
import type { Cli, Project } from "../cli.js";
import type { DiscoveredPlugin } from "../discovery/candidate.js";
import { renderJson } from "../render/json.js";
import { renderTable } from "../render/table.js";
import { checkInstance, type InstanceCheck } from "../project/instance-check.js";

/** One row of `assay plugins --json`. */
export interface PluginRow {
  kind: string | null;
  name: string | null;
  package: string;
  version: string | null;
  origin: string;
  path: string | null;
  loaded: boolean;
  /** Whether its instance was created and implements its port: ok, failed, or not checked (and why). */
  instance: string;
  /** False when a plugin of higher precedence with the same kind and name hides it. */
  active: boolean;
  error: string | null;
  errorCode: string | null;
  /** Packaging rules the plugin breaks (it may still load). */
  warnings: string[];
}

async function rowOf(project: Project, found: DiscoveredPlugin): Promise<PluginRow> {
  const kind = found.manifest?.kind ?? null;
  const name = found.manifest?.name ?? null;
  const winner = kind !== null && name !== null && project.registry.has(kind, name) ? project.registry.get(kind, name) : null;
  const check: InstanceCheck | null = found.plugin ? await checkInstance(project, found.plugin, found.packageName) : null;
  const failed = check?.state === "failed" ? check.error : null;
  const error = found.error ?? failed;
  return {
    kind,
    name,
    package: found.packageName,
    version: found.version,
    origin: found.origin,
    path: found.dir,
    loaded: found.plugin !== null && failed === null,
    instance: check === null ? "not loaded" : check.state === "not checked" ? `not checked: ${check.why}` : check.state,
    active: found.plugin !== null && failed === null && winner?.origin === found.origin && winner.packageName === found.packageName,
    error: error?.toParagraph() ?? null,
    errorCode: error?.code ?? null,
    warnings: found.warnings,
  };
}

/**
 * `assay plugins [--json]`: every plugin found, where, and whether it loaded, its instance
 * included (created and checked against its port). Exit 2 if one failed.
 */
export function pluginsCommand(cli: Cli): Command {
  return new Command("plugins")
    .description("list the plugins found for this project, where they come from and whether they load")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const project = await cli.project();
      const rows: PluginRow[] = [];
      for (const found of project.plugins) rows.push(await rowOf(project, found));
      if (rows.some((row) => !row.loaded)) cli.exitCode = 2;
      if (options.json) {
        cli.out(renderJson(rows));
        return;
      }
      const c = cli.colors;
      const loaded = (row: PluginRow) => (row.loaded ? (row.active ? c.green("yes") : `yes ${c.dim("(hidden by a higher-precedence plugin)")}`) : c.red("no"));
      const table = rows.map((row) => [
        row.kind ?? "?",
        row.name ?? "?",
        row.package,
        row.version ?? "",
        row.origin,
        loaded(row),
        row.path ?? "",
      ]);
      cli.out(`Config: ${project.source.file}\n`);
      cli.out(renderTable(["KIND", "NAME", "PACKAGE", "VERSION", "ORIGIN", "LOADED", "PATH"], table, c.bold));
      for (const row of rows.filter((r) => r.error !== null)) cli.out(`\n${c.red("✗")} ${row.package}: ${row.error}`);
      // The warnings themselves went to stderr when the project was loaded (cli.ts).
    });
}
