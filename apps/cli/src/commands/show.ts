import { Command } from "commander";
import type { Cli } from "../cli.js";
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
      const store = await openStore(await cli.project());
      const stored = await store.getRun(id);
      if (options.json) cli.out(renderJson(stored));
      else {
        cli.out(renderRunSummary(stored, cli.colors));
        const c = cli.colors;
        for (const result of stored.results.filter((r) => r.result !== "OK" || r.status === "ERROR")) {
          cli.out(`\n${c.bold(result.id)}: ${result.summary}`);
          for (const fact of result.facts) cli.out(`  ${fact.name}: ${String(fact.value)}`);
        }
      }
      cli.exitCode = exitCodeOfRuns([stored]);
    });
}
