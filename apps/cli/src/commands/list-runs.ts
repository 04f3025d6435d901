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
    cli.out(renderJson({ runs: listed.map(({ id, key, run }) => ({ id, key, run })) }));
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
          run.testSet.name,
          run.domain,
          `${run.stage}/${run.instance}`,
          run.startedAt.replace("T", " ").slice(0, 19),
          colourOutcome(run.status === "ERROR" || run.counts.error > 0 ? "ERROR" : run.result, c),
          run.status,
          `${run.counts.ok}/${run.counts.total} OK`,
        ],
  );
  cli.out(renderTable(["RUN", "TEST SET", "DOMAIN", "STAGE/INSTANCE", "STARTED (UTC)", "RESULT", "STATUS", "COUNTS"], rows, c.bold));
}
