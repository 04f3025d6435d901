import { Command, InvalidArgumentError } from "commander";
import { CONCURRENCY_RANGE, notifierLabel, runTestSet, withDeadline } from "@assay/core";
import type { Cli, Project } from "../cli.js";
import { interruptOnSignals } from "../project/interrupt.js";
import { requireConfigFile, requireConfigPlugins } from "../project/plugins.js";
import { redactingBackend } from "../project/redacting-backend.js";
import { addSelectionOptions, selectTestSets, type SelectionOptions } from "../project/selection.js";
import { addShardOptions, prepareShardOf, writeShardBlob, type ShardOptions } from "../project/shard.js";
import { backendFactory, connectionFactory, createNotifiers, notifierNames } from "../project/selections.js";
import { openStore } from "../project/store.js";
import { appendStepSummary, chooseReporters, collectReporter, reportsFolder, writeReports, type ChosenReporter, type ReporterFlag } from "../project/reporters.js";
import { reportSourceOf } from "@assay/ports";
import { renderJson } from "../render/json.js";
import { renderWrittenReports } from "../render/reports.js";
import { exitCodeOfRuns, renderRunSummary, type RunWithResults } from "../render/summary.js";
import { renderGrandTotal } from "../render/grand-total.js";

export interface RunOptions extends SelectionOptions, ShardOptions {
  stage?: string;
  instance?: string;
  concurrency?: number;
  json?: boolean;
  reporter?: ReporterFlag[];
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of 1 or more");
  return n;
}

/** --concurrency: the same range as run.concurrency in the config. */
export function concurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < CONCURRENCY_RANGE.min || n > CONCURRENCY_RANGE.max) {
    throw new InvalidArgumentError(`expected a whole number from ${CONCURRENCY_RANGE.min} to ${CONCURRENCY_RANGE.max} (as run.concurrency in the config)`);
  }
  return n;
}

/**
 * Runs test sets one after the other and returns their stored runs and results. Every test
 * set is read (and its backend checked) before the first one starts, so that a typo in the
 * last one does not cost a whole run.
 */
export async function runTestSets(cli: Cli, names: string[], options: RunOptions): Promise<RunWithResults[]> {
  const project = await cli.project();
  requireConfigFile(project, cli.cwd);
  requireConfigPlugins(project);
  // A path is taken relative to the working folder first (as a shell completes it), then to the project root.
  const selected = await selectTestSets(project.config, names, options, cli.cwd);
  const backends = new Map<string, Awaited<ReturnType<typeof backendFactory>>>();
  for (const testSet of selected) {
    if (!backends.has(testSet.domain) && project.config.domains[testSet.domain]) backends.set(testSet.domain, await backendFactory(project, testSet.domain));
  }
  const store = await openStore(project);
  const shard = await prepareShardOf(store, selected, options);
  const testSets = shard?.testSets ?? selected;
  // With --json, stdout carries the JSON document alone: the progress goes to stderr.
  if (options.json) {
    for (const notifier of project.config.notifiers) if (notifier.use === "stdout") notifier.options = { ...notifier.options, stream: "stderr" };
  }
  const notifiers = await createNotifiers(project);
  const interrupt = interruptOnSignals((text) => cli.err(text));
  const callTimeoutMs = project.config.run.callTimeoutMs;
  const runs: RunWithResults[] = [];
  try {
    for (const testSet of testSets) {
      if (interrupt.signal.aborted) break;
      const create = backends.get(testSet.domain);
      runs.push(
        await runTestSet({
          config: project.config,
          testSet,
          stage: options.stage,
          instance: options.instance,
          concurrency: options.concurrency,
          backend: async () => redactingBackend(await create!(), project.redactor),
          connections: async (name) => redactingBackend(await connectionFactory(project)(name), project.redactor),
          store,
          notifiers,
          signal: interrupt.signal,
          shard: shard?.run,
          notifierName: (n) => notifierNames.get(n),
        }),
      );
    }
  } finally {
    interrupt.dispose();
    // A notifier that does not close in time is named and left behind: it cannot hold the CLI.
    await Promise.all(
      notifiers.map((n) =>
        withDeadline(Promise.resolve().then(() => n.close()), callTimeoutMs, `The ${notifierLabel(n, (x) => notifierNames.get(x))} (closing it)`).catch((error: unknown) =>
          cli.err(`${cli.errorColors.yellow("Warning:")} ${error instanceof Error ? error.message : String(error)}`),
        ),
      ),
    );
  }
  if (shard) await writeShardBlob(cli, project, shard, runs, options);
  return runs;
}

/** Whether the stdout notifier draws live progress on the terminal stdout is: it then shows each result as it finishes. */
export function liveOnStdout(project: Awaited<ReturnType<Cli["project"]>>): boolean {
  return process.stdout.isTTY === true && project.config.notifiers.some((n) => n.use === "stdout" && ((n.options as { stream?: unknown }).stream ?? "stdout") === "stdout");
}

/**
 * Writes the chosen reports of runs (and the step summary in GitHub Actions) and prints where
 * they went: after `assay run` and after `assay merge`, the same way.
 */
export async function reportRuns(cli: Cli, project: Project, reporters: ChosenReporter[], runs: readonly RunWithResults[], json: boolean): Promise<void> {
  const source = reportSourceOf(runs);
  const written = await writeReports(reporters, source, reportsFolder(project, await openStore(project)), project.config.run.callTimeoutMs);
  if (await appendStepSummary(project, source, cli.env)) written.push({ reporter: "markdown", path: "$GITHUB_STEP_SUMMARY" });
  // With --json, stdout carries the JSON document alone.
  if (written.length > 0) (json ? cli.err.bind(cli) : cli.out.bind(cli))(renderWrittenReports(written, cli.cwd, cli.colors));
}

/** `assay run <testset|file>...`: exit 0 all OK, 1 some NOK or N/A, 3 some ERROR. */
export function runCommand(cli: Cli): Command {
  const command = new Command("run")
    .description("run test sets (by name or file) and store their results")
    .argument("[testsets...]", "test set names or files (or --all, --label L)")
    .option("--stage <stage>", "run at this stage instead of the test set's")
    .option("--instance <instance>", "run at this instance instead of the test set's")
    .option("--concurrency <n>", `test cases at a time, ${CONCURRENCY_RANGE.min} to ${CONCURRENCY_RANGE.max} (default: run.concurrency of the config)`, concurrency)
    .option("--json", "print the runs and their results as JSON")
    .option("--reporter <name[=file]>", "write a report: junit, markdown, html, json, xlsx; =FILE for one file (repeatable; default: reporters: of the config)", collectReporter, [])
    .action(async (given: string[], options: RunOptions) => {
      const reporters = await chooseReporters(await cli.project(), options.reporter ?? [], cli.cwd);
      const runs = await runTestSets(cli, given, options);
      const project = await cli.project();
      if (options.json) cli.out(renderJson({ runs }));
      else {
        // On a terminal the live progress already printed each result once: no table again.
        const rows = !liveOnStdout(project);
        cli.out(`\n${runs.map((r) => renderRunSummary(r, cli.colors, { width: cli.width, rows })).join("\n\n")}`);
        if (runs.length > 1) cli.out(`\n${renderGrandTotal(runs, cli.colors)}`);
        cli.out(cli.colors.dim(`\nResults are stored in ${project.config.storage.location} (${project.config.root}). See them again with: assay show latest`));
      }
      await reportRuns(cli, project, reporters, runs, options.json === true);
      // A shard may be left with nothing to run (more shards than test cases): that is not a failure.
      cli.exitCode = runs.length === 0 && (options.shard || options.blob !== undefined) ? 0 : exitCodeOfRuns(runs);
    });
  return addShardOptions(addSelectionOptions(command));
}
