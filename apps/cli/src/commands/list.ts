import { Argument, Command } from "commander";
import type { Cli } from "../cli.js";
import { requireConfigFile } from "../project/plugins.js";
import { listObjects } from "./list-objects.js";
import { listRuns } from "./list-runs.js";
import type { ScopeOptions } from "./list-scope.js";
import { listSpecs } from "./list-specs.js";
import { listTestSets } from "./list-testsets.js";

const LISTS = { testsets: listTestSets, specs: listSpecs, runs: listRuns, objects: listObjects } as const;

const CHOICES: Record<keyof typeof LISTS, string> = {
  testsets: "the test sets in the test set folder (and the files that cannot be read)",
  specs: "the spec files of each domain and stage (and their problems)",
  runs: "the stored runs, newest first",
  objects: "the test objects the backend sees at a domain, stage and instance",
};

/** `assay list testsets|specs|runs|objects [--domain D] [--stage S] [--instance I] [--json]`. */
export function listCommand(cli: Cli): Command {
  return new Command("list")
    .description("list test sets, spec files, stored runs or the backend's test objects")
    .addArgument(new Argument("[what]", "what to list").choices(Object.keys(LISTS)))
    .option("--domain <domain>", "only this domain")
    .option("--stage <stage>", "only this stage")
    .option("--instance <instance>", "only this instance")
    .option("--json", "print JSON")
    .action(async (what: keyof typeof LISTS | undefined, options: ScopeOptions & { json?: boolean }) => {
      if (what === undefined) {
        // Without an argument: what can be listed, instead of a bare "missing argument".
        cli.out(["assay list <what> [--domain D] [--stage S] [--instance I] [--json], where <what> is one of:", ...Object.entries(CHOICES).map(([name, text]) => `  ${name.padEnd(9)} ${text}`)].join("\n"));
        return;
      }
      requireConfigFile(await cli.project(), cli.cwd);
      await LISTS[what](cli, options);
    });
}
