import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

/** The built CLI: tests run it as users do, in its own process. */
export const CLI_BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/bin.js ...args` in `cwd` and returns its exit code and output. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: build the CLI first (pnpm build)`);
  return runNode([CLI_BIN, ...args], options);
}

export function runNode(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  // The runner's own FORCE_COLOR must not leak into the CLI under test; a test may set it.
  delete env.FORCE_COLOR;
  Object.assign(env, options.env);
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: options.cwd, env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A scratch project folder in the OS temp dir, with the given files (paths relative to it). */
export async function scratchProject(files: Record<string, string> = {}): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "assay-cli-"));
  await writeFiles(dir, { "package.json": JSON.stringify({ name: "scratch-project", private: true }), ...files });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}

export interface ScratchPluginSpec {
  packageName: string;
  kind: "backend" | "storage" | "formatter" | "notifier" | "reporter";
  name: string;
  apiVersion?: number;
  /** The module's source; default: a valid plugin whose instance has every method of its port. */
  module?: string;
}

/**
 * A plugin package written by hand, without dependencies: its options schema is a hand-made
 * Standard Schema that accepts any object, so it needs neither zod nor @assay/ports.
 */
export function scratchPluginFiles(spec: ScratchPluginSpec): Record<string, string> {
  const apiVersion = spec.apiVersion ?? 1;
  const packageJson = {
    name: spec.packageName,
    version: "1.2.3",
    type: "module",
    keywords: ["assay-plugin", `assay-${spec.kind}`],
    assay: { apiVersion, kind: spec.kind, name: spec.name },
    exports: { ".": { import: "./index.js", default: "./index.js" }, "./package.json": "./package.json" },
  };
  return { "package.json": JSON.stringify(packageJson, null, 2), "index.js": spec.module ?? validModule(spec.kind, spec.name, apiVersion) };
}

const ANY_OBJECT_SCHEMA = `{
  "~standard": {
    version: 1,
    vendor: "scratch",
    validate: (value) =>
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? { value }
        : { issues: [{ message: "expected an object", path: [] }] },
  },
}`;

function validModule(kind: ScratchPluginSpec["kind"], name: string, apiVersion: number): string {
  const instances = {
    notifier: `({ events: [], notify(event) { this.events.push(event); }, async close() {} })`,
    formatter: `({ name: ${JSON.stringify(name)}, extension: "txt", mediaType: "text/plain", serialize: (v) => new TextEncoder().encode(JSON.stringify(v)), parse: (d) => JSON.parse(new TextDecoder().decode(d)) })`,
    storage: `({ location: context.location, async read() { throw new Error("empty"); }, async write() {}, async exists() { return false; }, async delete() {}, async list() { return []; } })`,
    reporter: `({ extension: "txt", mediaType: "text/plain", async *render(source) { yield String(source.runs.length); } })`,
    backend: `({ capabilities: { primaryKeys: false, partitioning: false, clustering: false, compare: false, sampledCompare: false, orderedScan: false, latestLoad: false }, async listTestObjects() { return []; }, async exists() { return false; }, async hasRows() { return false; }, async getSchema() { return { columns: [], primaryKeys: null, partitioning: null, clustering: null }; }, async getQuerySchema() { return []; }, async countRows() { return 0; }, async *query() {}, async close() {} })`,
  };
  const schemes = kind === "storage" ? `schemes: [${JSON.stringify(name)}],\n  ` : "";
  return `export default {
  kind: ${JSON.stringify(kind)},
  name: ${JSON.stringify(name)},
  apiVersion: ${apiVersion},
  ${schemes}optionsSchema: ${ANY_OBJECT_SCHEMA},
  async create(options, context) { return ${instances[kind]}; },
};
`;
}

/** Prefixes every key of a file map with a folder. */
export function under(folder: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([name, text]) => [path.join(folder, name), text]));
}

/** What every error of the CLI must be: one paragraph, with its code, and no stack trace. */
export function expectOneParagraph(stderr: string): string {
  const text = stderr.trim();
  if (text.includes("\n")) throw new Error(`expected one paragraph on stderr, got:\n${stderr}`);
  if (/\n\s+at /.test(stderr)) throw new Error(`unexpected stack trace:\n${stderr}`);
  return text;
}

/**
 * Scratch projects removed after each test. Call once at the top of a test file:
 * `const project = scratchProjects();` then `const dir = await project(files)` in tests.
 */
export function scratchProjects(): (files: Record<string, string>) => Promise<string> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });
  return async (files) => {
    const scratch = await scratchProject(files);
    cleanups.push(scratch.cleanup);
    return scratch.dir;
  };
}

/** A stored test case result as `assay show --json` prints it (the fields tests read). */
export interface StoredResult {
  object: string;
  type: string;
  scenario: string | null;
  result: string;
  status: string;
  summary: string;
  durationMs: number | null;
}

/** A stored run and its results as `assay show --json` prints them. */
export interface StoredRun {
  run: {
    id: string;
    status: string;
    result: string;
    testSet: { name: string };
    endedAt: string | null;
    message: string | null;
    counts: Record<string, number>;
  };
  results: StoredResult[];
}
