import { printable } from "@assay/ports";
import { discoverSpecs, listSpecProblems, type Spec } from "@assay/core";
import type { Cli } from "../cli.js";
import { renderJson } from "../render/json.js";
import { renderTable } from "../render/table.js";
import { coordinatesIn, type ScopeOptions } from "./list-scope.js";

/** Spec files per domain and stage; broken specs and duplicates are shown with why (exit 2). */
export async function listSpecs(cli: Cli, options: ScopeOptions & { json?: boolean }): Promise<void> {
  const { config } = await cli.project();
  const stages = [...new Map(coordinatesIn(config, { ...options, instance: undefined }).map((c) => [`${c.domain}/${c.stage}`, c])).values()];
  const found: Array<{ domain: string; stage: string; specs: Spec[] }> = [];
  for (const { domain, stage } of stages) found.push({ domain, stage, specs: await discoverSpecs(config, domain, stage) });
  const problems = found.flatMap(({ domain, stage, specs }) => listSpecProblems(specs).map((p) => ({ domain, stage, ...p })));
  if (problems.length > 0) cli.exitCode = 2;
  if (options.json) {
    cli.out(renderJson({ specs: found.flatMap(({ domain, stage, specs }) => specs.map((spec) => ({ domain, stage, ...spec }))), problems }));
    return;
  }
  const c = cli.colors;
  const rows = found.flatMap(({ domain, stage, specs }) =>
    specs.map((s) => [printable(domain), printable(stage), printable(s.object), s.type, printable(s.scenario ?? ""), s.error === null ? c.green("ok") : c.red("error"), printable(s.path)]),
  );
  cli.out(rows.length > 0 ? renderTable(["DOMAIN", "STAGE", "OBJECT", "TYPE", "SCENARIO", "STATUS", "PATH"], rows, c.bold) : "No spec files found.");
  for (const p of problems) cli.err(`${cli.errorColors.red("✗")} ${printable(`${p.path}: ${p.message}`)}`);
}
