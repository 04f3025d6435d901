import { boundedStorage, ResultStore } from "@assay/core";
import type { Project } from "../cli.js";
import { requireConfigPlugins } from "./plugins.js";
import { createFormatter, createStorage } from "./selections.js";

/** The results store the config names (storage location + format); every storage call has run.callTimeoutMs. */
export async function openStore(project: Project): Promise<ResultStore> {
  requireConfigPlugins(project);
  return new ResultStore(boundedStorage(await createStorage(project), project.config.run.callTimeoutMs), await createFormatter(project));
}
