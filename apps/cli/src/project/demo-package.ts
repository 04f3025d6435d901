import { pathToFileURL } from "node:url";
import { PluginError } from "@assay/ports";
import type { PluginCandidate } from "../discovery/candidate.js";
import { CLI_DIR, findPackage } from "../discovery/next-to-cli.js";
import { packageEntry } from "../discovery/package-json.js";

export const DEMO_PACKAGE = "@assay/backend-demo";

export interface DemoExpectation {
  testSet: string;
  object: string;
  type: string;
  scenario: string | null;
  result: "OK" | "NOK" | "N/A";
}

export interface DemoModule {
  generateDemoProject(options: { dir: string; scale?: number; engine?: "duckdb" | "postgres" | "mariadb" | "clickhouse"; url?: string }): Promise<{
    dir: string;
    configFile: string;
    expected: DemoExpectation[];
  }>;
}

/** Where an optional engine package is found: the user's project first, then next to the CLI. */
export async function findEnginePackage(name: string, projectDir: string, ...others: string[]): Promise<PluginCandidate | null> {
  return findPackage(name, projectDir, CLI_DIR, ...others);
}

/** Imports @assay/backend-demo, or explains how to install it. */
export async function loadDemoPackage(projectDir: string): Promise<{ candidate: PluginCandidate; module: DemoModule }> {
  const candidate = await findEnginePackage(DEMO_PACKAGE, projectDir);
  if (candidate === null) {
    throw new PluginError("PLUGIN_NOT_FOUND", `assay demo needs ${DEMO_PACKAGE}, which is not installed`, {
      expected: `${DEMO_PACKAGE} installed in this project or next to assay`,
      fix: `Install it (npm install -D ${DEMO_PACKAGE}, or pnpm add -D ${DEMO_PACKAGE}) and run assay demo again.`,
    });
  }
  const entry = packageEntry(candidate.packageJson, candidate.dir);
  let module: Partial<DemoModule> | null;
  try {
    module = (entry === null ? null : await import(pathToFileURL(entry).href)) as Partial<DemoModule> | null;
  } catch (cause) {
    throw new PluginError("PLUGIN_MODULE_INVALID", `${DEMO_PACKAGE} at ${candidate.dir} cannot be imported: ${cause instanceof Error ? cause.message : String(cause)}`, {
      fix: `Reinstall ${DEMO_PACKAGE} (its files or dependencies may be missing).`,
      cause,
    });
  }
  if (typeof module?.generateDemoProject !== "function") {
    throw new PluginError("PLUGIN_MODULE_INVALID", `${DEMO_PACKAGE} at ${candidate.dir} does not export generateDemoProject()`, {
      fix: `Reinstall ${DEMO_PACKAGE} in a version that matches this assay.`,
    });
  }
  return { candidate, module: module as DemoModule };
}
