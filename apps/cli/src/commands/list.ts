import { Argument, Command } from "commander";
import type { Cli } from "../cli.js";
import { listObjects } from "./list-objects.js";
import { listRuns } from "./list-runs.js";
import type { ScopeOptions } from "./list-scope.js";
import { listSpecs } from "./list-specs.js";
import { listTestSets } from "./list-testsets.js";

const LISTS = { testsets: listTestSets, specs: listSpecs, runs: listRuns, objects: listObjects } as const;

/** `assay list testsets|specs|runs|objects [--domain D] [--stage S] [--instance I] [--json]`. */
export function listCommand(cli: Cli): Command {
  return new Command("list")
    .description("list test sets, spec files, stored runs or the backend's test objects")
    .addArgument(new Argument("<what>", "what to list").choices(Object.keys(LISTS)))
    .option("--domain <domain>", "only this domain")
    .option("--stage <stage>", "only this stage")
    .option("--instance <instance>", "only this instance")
    .option("--json", "print JSON")
    .action(async (what: keyof typeof LISTS, options: ScopeOptions & { json?: boolean }) => {
      await LISTS[what](cli, options);
    });
}
