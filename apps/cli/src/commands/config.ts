import { Command } from "commander";
import { stringify } from "yaml";
import type { Cli } from "../cli.js";
import { requireConfigFile, requireConfigPlugins } from "../project/plugins.js";
import { renderJson } from "../render/json.js";
import { checkSelections } from "../project/selections.js";

/**
 * `assay config`: the resolved configuration (defaults applied, paths absolute, secrets
 * masked), after checking every selected plugin and its options.
 */
export function configCommand(cli: Cli): Command {
  return new Command("config")
    .description("check the configuration and print it resolved, with secrets masked")
    .option("--json", "print the resolved configuration as JSON")
    .action(async (options: { json?: boolean }) => {
      const project = await cli.project();
      requireConfigFile(project, cli.cwd);
      requireConfigPlugins(project);
      await checkSelections(project);
      const { file, root, ...rest } = project.redactor.maskConfig(project.config);
      if (options.json) cli.out(renderJson({ file, root, ...rest }));
      else cli.out(`# ${project.source.file}: resolved, secrets masked\n${stringify({ file, root, ...rest }, { lineWidth: 0 })}`);
    });
}
