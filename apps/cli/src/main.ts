import { CommanderError } from "commander";
import { Cli } from "./cli.js";
import { createProgram } from "./program.js";
import { renderError } from "./render/error.js";
import { redactProcessOutput } from "./render/redacting-output.js";

/**
 * Runs the CLI and returns its exit code: 0 all OK, 1 some NOK or N/A, 2 usage, config or
 * input error, 3 some ERROR or an infrastructure failure. Everything printed is redacted.
 */
export async function main(argv: readonly string[] = process.argv, cli = new Cli(process.cwd(), process.env)): Promise<number> {
  const restore = redactProcessOutput(() => cli.redactor);
  try {
    await createProgram(cli).parseAsync([...argv]);
    return cli.exitCode;
  } catch (error) {
    // Commander already printed its message (or the help, or the version).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const debug = cli.options.debug ?? argv.includes("--debug");
    const { text, exitCode } = renderError(cli.redactor.redactError(error), debug);
    cli.err(text);
    return exitCode;
  } finally {
    restore();
  }
}
