import { Command } from "commander";
import { runLiveness, settleStoredRun } from "@assay/core";
import { printable } from "@assay/ports";
import type { Cli } from "../cli.js";
import { requireConfigFile } from "../project/plugins.js";
import { openStore } from "../project/store.js";
import { renderJson } from "../render/json.js";
import { exitCodeOfRuns, renderRunSummary } from "../render/summary.js";

/** `assay show <run-id|latest> [--json]`: a stored run and its results; the exit code is the run's. */
export function showCommand(cli: Cli): Command {
  return new Command("show")
    .description("show a stored run and its results")
    .argument("<run>", "a run id, a unique prefix of one, or latest")
    .option("--json", "print the run and its results as JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const project = await cli.project();
      requireConfigFile(project, cli.cwd);
      const store = await openStore(project);
      const stored = await store.getRun(id);
      if (options.json) {
        // A run that never finished shows the counts and result of what it stored, and its state.
        const state = runLiveness(stored.run);
        cli.out(renderJson({ run: settleStoredRun(stored.run, stored.results), results: stored.results, ...(state ? { state } : {}) }));
      } else {
        cli.out(renderRunSummary(stored, cli.colors, { width: cli.width }));
        const c = cli.colors;
        for (const result of stored.results.filter((r) => r.result !== "OK" || r.status === "ERROR")) {
          cli.out(`\n${c.bold(printable(result.id))}: ${result.summary.split("\n").map(printable).join("\n")}`);
          for (const fact of result.facts) cli.out(`  ${printable(fact.name)}: ${printable(String(fact.value))}`);
        }
      }
      cli.exitCode = exitCodeOfRuns([stored]);
    });
}
