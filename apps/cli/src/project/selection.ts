import { Option, type Command } from "commander";
import { ConfigError, type AssayError } from "@assay/ports";
import { findTestSet, loadTestSets, type AssayConfig, type TestSet } from "@assay/core";

export interface SelectionOptions {
  all?: boolean;
  label?: string[];
}

/** `--all` and `--label L` (repeatable), for commands that take test set names. */
export function addSelectionOptions(command: Command): Command {
  return command
    .addOption(new Option("--all", "every test set of the test set folder"))
    .addOption(
      new Option("--label <label>", "the test sets carrying this label (repeatable: a test set with any of them)").argParser((value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        value,
      ]),
    );
}

function brokenFiles(errors: AssayError[]): AssayError {
  const [first] = errors;
  return errors.length === 1 ? first! : new ConfigError(first!.code, `${errors.length} test set files cannot be read; the first: ${first!.toParagraph()}`, { fix: "Run assay list testsets to see them all." });
}

/**
 * The test sets a run selects: the named ones, every one with --all, those carrying any
 * --label; each once, in the order given (named first). A test set file that cannot be read
 * fails the selection when --all or --label has to read the whole folder: a broken file could
 * have been part of it.
 */
export async function selectTestSets(config: AssayConfig, names: readonly string[], options: SelectionOptions, cwd?: string): Promise<TestSet[]> {
  const labels = options.label ?? [];
  if (names.length === 0 && !options.all && labels.length === 0) {
    throw new ConfigError("USAGE", "No test set is selected", {
      expected: "test set names or files, --all, or --label L",
      fix: "Name the test sets to run (assay list testsets shows them), or use --all or --label L.",
    });
  }
  const selected: TestSet[] = [];
  for (const name of names) selected.push(await findTestSet(config, name, undefined, cwd));
  if (options.all || labels.length > 0) {
    const { testSets, errors } = await loadTestSets(config);
    if (errors.length > 0) throw brokenFiles(errors);
    if (options.all) selected.push(...testSets);
    else {
      const wanted = new Set(labels.map((l) => l.toLowerCase()));
      const labelled = testSets.filter((s) => s.labels.some((l) => wanted.has(l.toLowerCase())));
      const unmatched = labels.filter((l) => !testSets.some((s) => s.labels.some((x) => x.toLowerCase() === l.toLowerCase())));
      if (unmatched.length > 0) {
        const known = [...new Set(testSets.flatMap((s) => s.labels))].sort();
        throw new ConfigError("USAGE", `No test set carries the label${unmatched.length > 1 ? "s" : ""} ${unmatched.map((l) => `"${l}"`).join(", ")}`, {
          where: { file: config.testsets },
          expected: known.length > 0 ? `one of the labels in use: ${known.join(", ")}` : "test sets with labels: [...]",
          fix: "Check the spelling, or add the label to the test sets' labels: list.",
        });
      }
      selected.push(...labelled);
    }
  }
  const seen = new Set<string>();
  const unique = selected.filter((s) => {
    const key = s.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length === 0) {
    throw new ConfigError("USAGE", `--all selects no test set: ${config.testsets} holds none`, {
      where: { file: config.testsets },
      expected: "at least one test set file (*.yaml)",
      fix: "Add a test set file, or point testsets: in assay.config.yaml at the folder that holds them.",
    });
  }
  return unique;
}
