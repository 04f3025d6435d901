import { readdir, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { Command } from "commander";
import { ConfigError } from "@assay/ports";
import { mergeShards, readBlob, storeMergedRuns, type LoadedBlob } from "@assay/core";
import type { Cli } from "../cli.js";
import { chooseReporters, collectReporter, type ReporterFlag } from "../project/reporters.js";
import { openStore } from "../project/store.js";
import { reportRuns } from "./run.js";
import { renderGrandTotal } from "../render/grand-total.js";
import { renderJson } from "../render/json.js";
import { exitCodeOfRuns, renderRunSummary, type RunWithResults } from "../render/summary.js";

export interface MergeOptions {
  json?: boolean;
  reporter?: ReporterFlag[];
}

/** Every `*.json` under a folder (CI downloads each artefact into its own sub-folder), sorted. */
async function jsonFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".json"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The blobs named on the command line: files as given, folders for every blob file they hold. */
export async function loadBlobs(cwd: string, inputs: readonly string[]): Promise<LoadedBlob[]> {
  const loaded: LoadedBlob[] = [];
  for (const input of inputs) {
    const path = resolve(cwd, input);
    const info = await stat(path).catch(() => null);
    const shown = (file: string) => (relative(cwd, file).startsWith("..") ? file : relative(cwd, file));
    if (info?.isDirectory()) {
      const files = await jsonFilesUnder(path);
      const before = loaded.length;
      for (const file of files) {
        // A folder may hold other JSON files too (reports, a results store): only blobs count.
        const blob = await readBlob(file).catch((error: unknown) => {
          if ((error as { code?: string }).code === "BLOB_INVALID" && /not a shard blob/.test((error as Error).message)) return null;
          throw error;
        });
        if (blob) loaded.push({ file: shown(file), blob });
      }
      if (loaded.length === before) {
        throw new ConfigError("BLOB_INVALID", "The folder holds no shard blob", {
          where: { file: shown(path) },
          expected: "the *.json files written by assay run --shard i/n (with --blob FILE, or in .assay/blobs/)",
          fix: "Download every shard's blob artefact into this folder, or name the blob files.",
        });
      }
    } else loaded.push({ file: shown(path), blob: await readBlob(path) });
  }
  return loaded;
}

/** The terminal summary of merged runs, or --json; the reports are written like after `assay run`. */
export function renderMergedRuns(cli: Cli, runs: readonly RunWithResults[], options: MergeOptions): void {
  if (options.json) {
    cli.out(renderJson({ runs }));
    return;
  }
  cli.out(runs.map((r) => renderRunSummary(r, cli.colors)).join("\n\n"));
  if (runs.length > 1) cli.out(`\n${renderGrandTotal(runs, cli.colors)}`);
}

/** `assay merge <blob|folder>...`: one stored run per test set from the shards' blobs; the exit code is the merged runs'. */
export function mergeCommand(cli: Cli): Command {
  return new Command("merge")
    .description("merge the blobs of a sharded run (assay run --shard i/n) into one stored run per test set")
    .argument("<blobs...>", "blob files, or folders holding them")
    .option("--json", "print the merged runs and their results as JSON")
    .option("--reporter <name[=file]>", "write a report of the merged runs: junit, markdown, html, json, xlsx; =FILE for one file (repeatable; default: reporters: of the config)", collectReporter, [])
    .action(async (inputs: string[], options: MergeOptions) => {
      const project = await cli.project();
      const reporters = await chooseReporters(project, options.reporter ?? [], cli.cwd);
      const blobs = await loadBlobs(cli.cwd, inputs);
      const runs = mergeShards(blobs);
      const store = await openStore(project);
      await storeMergedRuns(store, runs);
      renderMergedRuns(cli, runs, options);
      await reportRuns(cli, project, reporters, runs, options.json === true);
      const say = (text: string) => (options.json ? cli.err(text) : cli.out(text));
      say(cli.colors.dim(`\nMerged ${blobs.length} shard${blobs.length === 1 ? "" : "s"} into ${runs.length} run${runs.length === 1 ? "" : "s"} stored in ${project.config.storage.location} (${project.config.root}): ${runs.map((r) => r.run.id).join(", ")}`));
      cli.exitCode = exitCodeOfRuns(runs);
    });
}
