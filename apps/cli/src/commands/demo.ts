import path from "node:path";
import { Command, Option } from "commander";
import type { TestCaseResult } from "@assay/core";
import type { Cli } from "../cli.js";
import { findEnginePackage, loadDemoPackage, type DemoExpectation } from "../project/demo-package.js";
import { exitCodeOfRuns, outcomeOf, renderRunSummary, type RunWithResults } from "../render/summary.js";
import { assayCommand } from "../project/invocation.js";
import { liveOnStdout, positiveInteger, runTestSets } from "./run.js";

interface DemoOptions {
  dir: string;
  scale?: number;
  backend: "duckdb" | "postgres" | "mariadb" | "clickhouse";
  url?: string;
}

interface Mismatch {
  expected: DemoExpectation;
  actual: string;
}

/** Every expected test case against what the runs gave (ERROR never matches). */
function mismatches(expected: readonly DemoExpectation[], runs: readonly RunWithResults[]): Mismatch[] {
  const key = (testSet: string, r: { object: string; type: string; scenario: string | null }) =>
    `${testSet}\u0000${r.object}\u0000${r.type.toUpperCase()}\u0000${r.scenario ?? ""}`;
  const actual = new Map<string, TestCaseResult>();
  for (const { run, results } of runs) for (const r of results) actual.set(key(run.testSet.name, r), r);
  return expected.flatMap((e) => {
    const got = actual.get(key(e.testSet, e));
    const outcome = got ? outcomeOf(got) : "missing";
    return outcome === e.result ? [] : [{ expected: e, actual: got ? `${outcome}: ${got.summary}` : "not run" }];
  });
}

/**
 * `assay demo`: generates the demo project (@assay/backend-demo), runs every demo test set with
 * live progress, and checks each test case against the result the demo was built to give.
 */
export function demoCommand(cli: Cli): Command {
  return new Command("demo")
    .description("generate a demo warehouse and project, run every demo test set and check the results")
    .option("--dir <dir>", "where to create the demo project", "assay-demo")
    .option("--scale <n>", "multiply every row count (1 = thousands of transactions)", positiveInteger)
    .addOption(new Option("--backend <engine>", "where the demo warehouse lives").choices(["duckdb", "postgres", "mariadb", "clickhouse"]).default("duckdb"))
    .option("--url <url>", "server URL for --backend postgres or mariadb (default: $ASSAY_PG_URL or $ASSAY_MARIADB_URL)")
    .action(async (options: DemoOptions) => {
      const startDir = cli.cwd;
      const { candidate, module } = await loadDemoPackage(startDir);
      const c = cli.colors;
      cli.out(c.dim(`Generating the demo project in ${path.resolve(cli.cwd, options.dir)} ...`));
      const demo = await module.generateDemoProject({ dir: path.resolve(cli.cwd, options.dir), scale: options.scale, engine: options.backend, url: options.url });
      const engines = [candidate];
      if (options.backend !== "duckdb") {
        const server = await findEnginePackage(`@assay/backend-${options.backend}`, cli.cwd, candidate.dir);
        if (server) engines.push(server);
      }
      cli.moveTo(demo.dir, demo.configFile, engines);

      const testSets = [...new Set(demo.expected.map((e) => e.testSet))];
      const runs = await runTestSets(cli, testSets, {});
      const rows = !liveOnStdout(await cli.project());
      cli.out(`\n${runs.map((r) => renderRunSummary(r, c, { width: cli.width, rows })).join("\n\n")}\n`);

      const wrong = mismatches(demo.expected, runs);
      if (wrong.length === 0) {
        cli.out(c.green(`Demo check: all ${demo.expected.length} test cases gave the result the demo was built to give.`));
        cli.exitCode = 0;
      } else {
        cli.out(c.red(`Demo check: ${wrong.length} of ${demo.expected.length} test cases did not give their expected result:`));
        for (const m of wrong) {
          const e = m.expected;
          cli.out(`  ${e.testSet}: ${e.object} ${e.type}${e.scenario ? ` (${e.scenario})` : ""}: expected ${e.result}, got ${m.actual}`);
        }
        cli.exitCode = exitCodeOfRuns(runs) === 3 ? 3 : 1;
      }
      const relative = path.relative(startDir, demo.dir) || ".";
      const firstSet = runs[0]?.run.testSet.file ?? "<testset>";
      // The command that works from here, as the user started assay (bare `assay` is often not on the PATH).
      const assay = assayCommand(demo.dir, cli.env);
      cli.out(
        [
          "",
          `The demo project is in ${demo.dir}; results are stored in its .assay/ folder.`,
          "Try next:",
          `  cd ${/\s/.test(relative) ? JSON.stringify(relative) : relative}`,
          `  ${assay} list runs`,
          `  ${assay} show latest`,
          `  ${assay} list testsets`,
          `  ${assay} list objects --domain payments --stage test --instance alpha`,
          `  ${assay} run ${/\s/.test(firstSet) ? JSON.stringify(firstSet) : firstSet}`,
        ].join("\n"),
      );
    });
}
