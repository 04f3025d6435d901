import { callWithDeadline, RawFileService } from "@assay/core";
import { printable, type Backend, type TestObjectInfo } from "@assay/ports";
import type { Cli } from "../cli.js";
import { requireConfigPlugins } from "../project/plugins.js";
import { redactingBackend } from "../project/redacting-backend.js";
import { backendFactory } from "../project/selections.js";
import { renderJson } from "../render/json.js";
import { renderTable } from "../render/table.js";
import { coordinatesIn, type ScopeOptions } from "./list-scope.js";

/**
 * Test objects at each selected coordinate: the tables and views the backend sees, and the raw
 * folders (kind files) core's raw-file service finds under the domain's raw root.
 */
export async function listObjects(cli: Cli, options: ScopeOptions & { json?: boolean }): Promise<void> {
  const project = await cli.project();
  requireConfigPlugins(project);
  const coordinates = coordinatesIn(project.config, options);
  const found: Array<{ domain: string; stage: string; instance: string } & TestObjectInfo> = [];
  for (const domain of [...new Set(coordinates.map((c) => c.domain))]) {
    const create = await backendFactory(project, domain);
    const { timeoutMs, callTimeoutMs } = project.config.run;
    // Bounded like a run: a backend that never answers is named, and cannot hold the CLI.
    const backend: Backend = redactingBackend(await callWithDeadline(create, callTimeoutMs, "The backend (creating it)"), project.redactor);
    const rawFiles = RawFileService.forDomain(project.config, domain);
    try {
      for (const at of coordinates.filter((c) => c.domain === domain)) {
        const signal = AbortSignal.timeout(timeoutMs);
        const objects = await callWithDeadline(() => backend.listTestObjects(at, { signal }), timeoutMs, `The backend (listing the test objects of ${at.domain}/${at.stage}/${at.instance})`);
        const listed = new Set(objects.map((o) => o.name));
        for (const folder of await rawFiles.listFolders(at)) {
          if (!listed.has(folder.object)) objects.push({ name: folder.object, kind: "files" });
        }
        for (const object of objects) found.push({ ...at, ...object });
      }
    } finally {
      await callWithDeadline(() => backend.close(), callTimeoutMs, "The backend (closing it)").catch((error: unknown) =>
        cli.err(`${cli.errorColors.yellow("Warning:")} ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
  if (options.json) {
    cli.out(renderJson({ objects: found }));
    return;
  }
  const rows = found.map((o) => [o.domain, o.stage, o.instance, o.kind, o.name].map(printable));
  cli.out(rows.length > 0 ? renderTable(["DOMAIN", "STAGE", "INSTANCE", "KIND", "OBJECT"], rows, cli.colors.bold) : "No test objects found.");
}
