import { printable } from "@assay/ports";
import { loadTestSets } from "@assay/core";
import type { Cli } from "../cli.js";
import { renderJson } from "../render/json.js";
import { renderTable } from "../render/table.js";
import type { ScopeOptions } from "./list-scope.js";

/** Test sets of the test set folder; files that cannot be read are shown with why (exit 2). */
export async function listTestSets(cli: Cli, options: ScopeOptions & { json?: boolean }): Promise<void> {
  const { config } = await cli.project();
  const { testSets, errors } = await loadTestSets(config);
  const shown = testSets.filter(
    (s) =>
      (options.domain === undefined || s.domain === options.domain) &&
      (options.stage === undefined || s.stage === options.stage) &&
      (options.instance === undefined || s.instance === options.instance),
  );
  if (errors.length > 0) cli.exitCode = 2;
  if (options.json) {
    cli.out(renderJson({ testSets: shown, errors: errors.map((e) => ({ code: e.code, message: e.toParagraph() })) }));
    return;
  }
  const rows = shown.map((s) => [s.name, s.domain, s.stage, s.instance, String(s.testcases.length), s.labels.join(","), s.file].map(printable));
  cli.out(rows.length > 0 ? renderTable(["NAME", "DOMAIN", "STAGE", "INSTANCE", "CASES", "LABELS", "FILE"], rows, cli.colors.bold) : `No test sets in ${config.testsets}.`);
  for (const error of errors) cli.err(`${cli.errorColors.red("✗")} ${printable(error.toParagraph())}`);
}
