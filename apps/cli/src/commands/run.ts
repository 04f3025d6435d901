import { Command, InvalidArgumentError } from "commander";
import { runTestSet } from "@assay/core";
import type { Cli } from "../cli.js";
import { interruptOnCtrlC } from "../project/interrupt.js";
import { requireConfigPlugins } from "../project/plugins.js";
import { redactingBackend } from "../project/redacting-backend.js";
import { addSelectionOptions, selectTestSets, type SelectionOptions } from "../project/selection.js";
import { addShardOptions, prepareShardOf, writeShardBlob, type ShardOptions } from "../project/shard.js";
import { backendFactory, createNotifiers } from "../project/selections.js";
import { openStore } from "../project/store.js";
import { appendStepSummary, chooseReporters, collectReporter, reportsFolder, writeReports, type ReporterFlag } from "../project/reporters.js";
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

/**
 * Runs test sets one after the other and returns their stored runs and results. Every test
 * set is read (and its backend checked) before the first one starts, so that a typo in the
 * last one does not cost a whole run.
 */
export async function runTestSets(cli: Cli, names: string[], options: RunOptions): Promise<RunWithResults[]> {
  const project = await cli.project();
  requireConfigPlugins(project);
  const selected = await selectTestSets(project.config, names, options);
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
  const interrupt = interruptOnCtrlC(() =>
    cli.err("\nStopping: no new test case starts; running ones finish. Press Ctrl-C again to exit at once."),
  );
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
          store,
          notifiers,
          signal: interrupt.signal,
          shard: shard?.run,
        }),
      );
    }
  } finally {
    interrupt.dispose();
    await Promise.all(notifiers.map((n) => n.close().catch(() => undefined)));
  }
  if (shard) await writeShardBlob(cli, project, shard, runs, options);
  return runs;
}

/** `assay run <testset|file>...`: exit 0 all OK, 1 some NOK or N/A, 3 some ERROR. */
export function runCommand(cli: Cli): Command {
  const command = new Command("run")
    .description("run test sets (by name or file) and store their results")
    .argument("[testsets...]", "test set names or files (or --all, --label L)")
    .option("--stage <stage>", "run at this stage instead of the test set's")
    .option("--instance <instance>", "run at this instance instead of the test set's")
    .option("--concurrency <n>", "test cases at a time (default: run.concurrency of the config)", positiveInteger)
    .option("--json", "print the runs and their results as JSON")
    .option("--reporter <name[=file]>", "write a report: junit, markdown, html, json, xlsx; =FILE for one file (repeatable; default: reporters: of the config)", collectReporter, [])
    .action(async (given: string[], options: RunOptions) => {
      const reporters = await chooseReporters(await cli.project(), options.reporter ?? [], cli.cwd);
      const runs = await runTestSets(cli, given, options);
      const project = await cli.project();
      if (options.json) cli.out(renderJson({ runs }));
      else {
        cli.out(`\n${runs.map((r) => renderRunSummary(r, cli.colors)).join("\n\n")}`);
        if (runs.length > 1) cli.out(`\n${renderGrandTotal(runs, cli.colors)}`);
        cli.out(cli.colors.dim(`\nResults are stored in ${project.config.storage.location} (${project.config.root}). See them again with: assay show latest`));
      }
      const source = reportSourceOf(runs);
      const written = await writeReports(reporters, source, reportsFolder(project, await openStore(project)));
      if (await appendStepSummary(project, source, cli.env)) written.push({ reporter: "markdown", path: "$GITHUB_STEP_SUMMARY" });
      // With --json, stdout carries the JSON document alone.
      if (written.length > 0) (options.json ? cli.err.bind(cli) : cli.out.bind(cli))(renderWrittenReports(written, cli.cwd, cli.colors));
      // A shard may be left with nothing to run (more shards than test cases): that is not a failure.
      cli.exitCode = runs.length === 0 && (options.shard || options.blob !== undefined) ? 0 : exitCodeOfRuns(runs);
    });
  return addShardOptions(addSelectionOptions(command));
}
