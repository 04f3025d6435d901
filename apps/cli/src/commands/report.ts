import { Command } from "commander";
import type { Cli } from "../cli.js";
import { openStore } from "../project/store.js";
import { chooseReporters, collectReporter, reportsFolder, requireReporters, storeSource, writeReports, type ReporterFlag } from "../project/reporters.js";
import { renderWrittenReports } from "../render/reports.js";

/**
 * `assay report <run-id|latest>... --reporter NAME[=FILE]`: renders stored runs again, reading
 * their results one at a time. Exit 0 once the reports are written (the runs' own outcome is
 * what `assay show` and `assay run` exit with).
 */
export function reportCommand(cli: Cli): Command {
  return new Command("report")
    .description("render stored runs as reports (JUnit XML, Markdown, HTML, JSON, xlsx)")
    .argument("<runs...>", "run ids, unique prefixes of them, or latest")
    .option("--reporter <name[=file]>", "a reporter, optionally with the file to write (repeatable; default: reporters: of the config)", collectReporter, [])
    .action(async (ids: string[], options: { reporter: ReporterFlag[] }) => {
      const project = await cli.project();
      const chosen = await chooseReporters(project, options.reporter, cli.cwd);
      requireReporters(chosen);
      const store = await openStore(project);
      const runs = [];
      for (const id of ids) runs.push(await store.getRunHeader(id));
      const written = await writeReports(chosen, storeSource(store, runs), reportsFolder(project, store), project.config.run.callTimeoutMs);
      cli.out(renderWrittenReports(written, cli.cwd, cli.colors));
    });
}
