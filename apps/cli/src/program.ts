import { Command } from "commander";
import type { Cli } from "./cli.js";
import { configCommand } from "./commands/config.js";
import { demoCommand } from "./commands/demo.js";
import { initCommand } from "./commands/init.js";
import { pluginCommand } from "./commands/plugin.js";
import { listCommand } from "./commands/list.js";
import { mergeCommand } from "./commands/merge.js";
import { pluginsCommand } from "./commands/plugins.js";
import { reportCommand } from "./commands/report.js";
import { runCommand } from "./commands/run.js";
import { showCommand } from "./commands/show.js";
import { cliVersion } from "./version.js";

/** The commander program: global options, one sub-command per file in commands/. */
export function createProgram(cli: Cli): Command {
  const program = new Command("assay")
    .description("business-validation tests for data platforms")
    .version(cliVersion(), "-V, --version", "print the version")
    .option("--config <file>", "use this config file instead of searching for assay.config.yaml")
    .option("--debug", "show stack traces with errors")
    .option("--no-color", "never colour the output")
    .showSuggestionAfterError()
    .addHelpText(
      "after",
      "\nExit codes: 0 every test case OK; 1 some test case NOK or N/A; 2 usage, config or input error;\n3 some test case ERROR, or the infrastructure failed.",
    )
    .configureOutput({
      writeOut: (text) => cli.out(text),
      writeErr: (text) => cli.err(text),
    })
    .hook("preAction", (command) => {
      cli.options = command.optsWithGlobals();
    });
  for (const command of [initCommand(cli), runCommand(cli), listCommand(cli), showCommand(cli), reportCommand(cli), demoCommand(cli), pluginsCommand(cli), pluginCommand(cli), configCommand(cli), mergeCommand(cli)]) {
    program.addCommand(command);
  }
  applyExitOverride(program);
  return program;
}

/** Usage errors throw (main maps them to exit 2) instead of exiting the process. */
function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) applyExitOverride(sub);
}
