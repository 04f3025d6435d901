import { ResultStore } from "@assay/core";
import type { Project } from "../cli.js";
import { requireConfigPlugins } from "./plugins.js";
import { createFormatter, createStorage } from "./selections.js";

/** The results store the config names (storage location + format). */
export async function openStore(project: Project): Promise<ResultStore> {
  requireConfigPlugins(project);
  return new ResultStore(await createStorage(project), await createFormatter(project));
}
