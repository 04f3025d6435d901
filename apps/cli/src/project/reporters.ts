import { createWriteStream } from "node:fs";
import { appendFile, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidArgumentError } from "commander";
import { ConfigError, StorageError, type ReportSource, type Reporter } from "@assay/ports";
import { withDeadline, type ResultStore, type TestRun } from "@assay/core";
import type { Project } from "../cli.js";
import { findPackage, CLI_DIR } from "../discovery/next-to-cli.js";
import { checkManifest, loadPlugin } from "../discovery/load-plugin.js";
import { checkOptions, pluginFor } from "./plugins.js";

/** `--reporter junit` or `--reporter junit=reports/junit.xml`, as given on the command line. */
export interface ReporterFlag {
  use: string;
  file?: string;
}

/** Commander's collector for the repeatable `--reporter NAME[=FILE]`. */
export function collectReporter(value: string, previous: ReporterFlag[] = []): ReporterFlag[] {
  const eq = value.indexOf("=");
  const use = (eq < 0 ? value : value.slice(0, eq)).trim();
  const file = eq < 0 ? undefined : value.slice(eq + 1).trim();
  if (!/^[a-z][a-z0-9-]*$/.test(use)) throw new InvalidArgumentError("expected a reporter name such as junit, markdown, html, xlsx or json, optionally =FILE");
  if (file === "") throw new InvalidArgumentError(`expected a file name after "${use}="`);
  return [...previous, { use, ...(file ? { file } : {}) }];
}

/** One reporter to run: its plugin created, where its options came from, and where it writes. */
export interface ChosenReporter {
  use: string;
  reporter: Reporter;
  /** Absolute file for every run together, or null for one file per run in the reports folder. */
  file: string | null;
}

/** A file written, for the list printed after the run. */
export interface WrittenReport {
  reporter: string;
  path: string;
}

/**
 * Our reporters installed next to the CLI or in the project but not declared anywhere (e.g.
 * `--reporter xlsx` with @assay/reporter-xlsx installed): found by package name, like the engines.
 */
async function ensureInstalled(project: Project, name: string): Promise<void> {
  if (project.registry.has("reporter", name) || project.plugins.some((p) => p.manifest?.kind === "reporter" && p.manifest.name === name)) return;
  const candidate = await findPackage(`@assay/reporter-${name}`, project.config.root, CLI_DIR).catch(() => null);
  if (candidate === null) return;
  const { manifest, error } = checkManifest(candidate);
  if (manifest === null || manifest.kind !== "reporter" || manifest.name !== name) {
    if (error) throw error;
    return;
  }
  const loaded = await loadPlugin(candidate, manifest);
  if (loaded.error) throw loaded.error;
  project.plugins.push(loaded);
  project.registry.register(loaded.plugin!, { packageName: loaded.packageName, version: loaded.version, origin: "bundled", source: loaded.dir });
}

/**
 * The reporters of this invocation: those named by `--reporter` (with the options of the
 * config's entry of the same name), else the config's `reporters:`. Options are checked at
 * their key and line before anything runs.
 */
export async function chooseReporters(project: Project, flags: readonly ReporterFlag[], cwd: string): Promise<ChosenReporter[]> {
  const configured = project.config.reporters;
  const chosen: ChosenReporter[] = [];
  const selections =
    flags.length > 0
      ? flags.map((flag) => {
          const index = configured.findIndex((r) => r.use === flag.use);
          return { use: flag.use, file: flag.file ? path.resolve(cwd, flag.file) : null, index };
        })
      : configured.map((r, index) => ({ use: r.use, file: r.file ? path.resolve(project.config.root, r.file) : null, index }));
  for (const selection of selections) {
    const fromConfig = selection.index >= 0 ? configured[selection.index]! : null;
    const long = selection.index >= 0 && project.source.has(["reporters", selection.index, "use"]);
    const usePath = selection.index < 0 ? undefined : long ? ["reporters", selection.index, "use"] : ["reporters", selection.index];
    await ensureInstalled(project, selection.use);
    const entry = pluginFor(project, "reporter", selection.use, usePath ? project.source.locate(usePath) : undefined);
    const options = fromConfig?.options ?? {};
    const optionsPath = ["reporters", Math.max(0, selection.index), "options"];
    await checkOptions(project, entry, options, optionsPath);
    const reporter = await project.registry.create("reporter", selection.use, options, project.context);
    chosen.push({ use: selection.use, reporter, file: selection.file });
  }
  return chosen;
}

/**
 * The store's reports folder: `<root>/reports` of a file store (`.assay/reports` by default);
 * for other stores, `.assay/reports` in the project, since reports are files people open.
 */
export function reportsFolder(project: Project, store: ResultStore): string {
  const root = (store.storage as { root?: unknown }).root;
  return typeof root === "string" ? path.join(root, "reports") : path.join(project.config.root, ".assay", "reports");
}

/**
 * Writes a report through a temporary file and a rename: a killed run leaves no half report.
 * Like every plugin call outside a test case it has a deadline (run.callTimeoutMs): a reporter
 * that never finishes is named, its render is aborted, and it cannot hold the CLI.
 */
async function writeReport(use: string, reporter: Reporter, source: ReportSource, file: string, timeoutMs: number): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const abort = new AbortController();
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const writing = pipeline(Readable.from(reporter.render(source, { signal: abort.signal })), createWriteStream(temporary), { signal: abort.signal });
    await withDeadline(writing, timeoutMs, `The reporter "${use}" (writing ${file})`).catch((error: unknown) => {
      abort.abort(error);
      throw error;
    });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      throw new StorageError("STORAGE_IO", `Could not write the report ${file}: ${(error as Error).message}`, {
        fix: `Check that ${path.dirname(file)} is a writable folder, or write the report elsewhere (--reporter NAME=FILE).`,
        cause: error,
      });
    }
    throw error;
  }
}

/** Renders every chosen reporter: one file for all runs where a file was named, else one per run. */
export async function writeReports(
  chosen: readonly ChosenReporter[],
  source: ReportSource,
  folder: string,
  timeoutMs: number,
): Promise<WrittenReport[]> {
  const written: WrittenReport[] = [];
  for (const { use, reporter, file } of chosen) {
    if (file !== null) {
      await writeReport(use, reporter, source, file, timeoutMs);
      written.push({ reporter: use, path: file });
      continue;
    }
    for (const run of source.runs) {
      const target = path.join(folder, `${run.id}.${reporter.extension}`);
      await writeReport(use, reporter, { runs: [run], results: (id) => source.results(id) }, target, timeoutMs);
      written.push({ reporter: use, path: target });
    }
  }
  return written;
}

/**
 * In a GitHub Actions job ($GITHUB_STEP_SUMMARY set), appends the Markdown report of the runs to
 * the job's summary, with the options of the config's markdown entry. Returns the file, or null.
 */
export async function appendStepSummary(project: Project, source: ReportSource, env: NodeJS.ProcessEnv): Promise<string | null> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file || source.runs.length === 0) return null;
  await ensureInstalled(project, "markdown");
  if (!project.registry.has("reporter", "markdown")) return null;
  const options = project.config.reporters.find((r) => r.use === "markdown")?.options ?? {};
  const reporter = await project.registry.create("reporter", "markdown", options, project.context);
  const chunks: string[] = [];
  const abort = new AbortController();
  const rendering = (async () => {
    for await (const chunk of reporter.render(source, { signal: abort.signal })) chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
  })();
  await withDeadline(rendering, project.config.run.callTimeoutMs, 'The reporter "markdown" (the $GITHUB_STEP_SUMMARY summary)').catch((error: unknown) => {
    abort.abort(error);
    throw error;
  });
  try {
    await appendFile(file, `${chunks.join("")}\n`);
  } catch (error) {
    throw new StorageError("STORAGE_IO", `Could not append the Markdown summary to $GITHUB_STEP_SUMMARY (${file}): ${(error as Error).message}`, { cause: error });
  }
  return file;
}

/** A ReportSource reading run headers' results from the store one at a time. */
export function storeSource(store: ResultStore, runs: readonly TestRun[]): ReportSource {
  return { runs, results: (runId) => store.streamResults(runId) };
}

/** `assay report` needs something to render. */
export function requireReporters(chosen: readonly unknown[]): void {
  if (chosen.length > 0) return;
  throw new ConfigError("USAGE", "No reporter is selected", {
    expected: "--reporter NAME[=FILE] (junit, markdown, html, json, or xlsx when @assay/reporter-xlsx is installed), or reporters: in assay.config.yaml",
    fix: "Add --reporter junit (repeatable), or list reporters in the config.",
  });
}
