import { runLiveness, type TestRun } from "@assay/core";
import { printable } from "@assay/ports";
import type { Cli } from "../cli.js";
import { openStore } from "../project/store.js";
import { renderJson } from "../render/json.js";
import { colourOutcome } from "../render/summary.js";
import { renderTable } from "../render/table.js";
import type { ScopeOptions } from "./list-scope.js";

/** Stored runs, newest first. */
export async function listRuns(cli: Cli, options: ScopeOptions & { json?: boolean }): Promise<void> {
  const project = await cli.project();
  const store = await openStore(project);
  const listed = (await store.listRuns({ domain: options.domain })).filter(
    ({ run }) => (options.stage === undefined || run?.stage === options.stage) && (options.instance === undefined || run?.instance === options.instance),
  );
  if (options.json) {
    cli.out(renderJson({ runs: listed.map(({ id, key, run }) => ({ id, key, run, ...(run && runLiveness(run) ? { state: runLiveness(run) } : {}) })) }));
    return;
  }
  if (listed.length === 0) {
    cli.out(`No runs stored in ${project.config.storage.location}.`);
    return;
  }
  const c = cli.colors;
  const rows = listed.map(({ id, testSet, domain, run }) =>
    run === null
      ? [id, testSet, domain, "", "", c.red("unreadable"), "", ""]
      : [
          id,
          printable(run.testSet.name),
          printable(run.domain),
          printable(`${run.stage}/${run.instance}`),
          run.startedAt.replace("T", " ").slice(0, 19),
          liveness(run) === null ? colourOutcome(run.result, c) : c.dim("-"),
          statusOf(run),
          liveness(run) === null ? `${run.counts.ok}/${run.counts.total} OK` : `${run.testcases.length} test cases`,
        ],
  );
  cli.out(renderTable(["RUN", "TEST SET", "DOMAIN", "STAGE/INSTANCE", "STARTED (UTC)", "RESULT", "STATUS", "COUNTS"], rows, c.bold));
}

const liveness = (run: TestRun) => runLiveness(run);

/** The stored status, or what became of a run that never finished: `show` gives its stored results. */
function statusOf(run: TestRun): string {
  switch (runLiveness(run)) {
    case "interrupted":
      return "INTERRUPTED";
    case "running":
      return "RUNNING";
    case "unknown":
      return `${run.status}?`;
    default:
      return run.status;
  }
}
