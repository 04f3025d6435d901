import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOneParagraph, type CliResult } from "./helpers.js";

/**
 * Acceptance: a plugin written outside this repository (its own folder, depending on
 * @assay/ports only) and the CLI, both packed with `pnpm pack` and installed from the tarballs
 * into a fresh project with npm, as a user would. The installed `assay` must find the plugin
 * through the project's package.json and use it by name. Slow (one npm install): one install
 * for the whole file.
 */
const exec = promisify(execFile);
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/acme-plugin/", import.meta.url));

let work: string;
let project: string;

/** @assay/cli and every workspace package it needs (dependencies and peers, transitively). */
async function workspaceClosure(): Promise<string[]> {
  const folders = new Set<string>();
  const visit = async (folder: string) => {
    if (folders.has(folder)) return;
    folders.add(folder);
    const pkg = JSON.parse(await readFile(path.join(folder, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    for (const field of ["dependencies", "peerDependencies"]) {
      for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
        if (spec.startsWith("workspace:")) await visit(path.join(REPO, "packages", name.replace(/^@assay\//, "")));
      }
    }
  };
  await visit(path.join(REPO, "apps", "cli"));
  return [...folders];
}

async function pack(folder: string, destination: string): Promise<string> {
  const { stdout } = await exec("pnpm", ["pack", "--pack-destination", destination], { cwd: folder });
  const tarball = stdout.trim().split("\n").pop()!.trim();
  expect(tarball).toMatch(/\.tgz$/);
  return tarball;
}

async function assay(args: string[]): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.FORCE_COLOR;
  try {
    const { stdout, stderr } = await exec(path.join(project, "node_modules", ".bin", "assay"), args, { cwd: project, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "assay-external-"));
  const tarballs = path.join(work, "tarballs");
  await mkdir(tarballs);

  // The plugin lives outside the workspace, as a third party's would.
  const pluginFolder = path.join(work, "assay-notifier-acme");
  await cp(FIXTURE, pluginFolder, { recursive: true });
  const pluginTarball = await pack(pluginFolder, tarballs);

  const packed = new Map<string, string>();
  for (const folder of await workspaceClosure()) {
    const { name } = JSON.parse(await readFile(path.join(folder, "package.json"), "utf8")) as { name: string };
    packed.set(name, await pack(folder, tarballs));
  }

  project = path.join(work, "project");
  await mkdir(path.join(project, "testsets"), { recursive: true });
  const file = (tarball: string) => `file:${tarball}`;
  const { "@assay/cli": cliTarball, ...cliDependencies } = Object.fromEntries(packed);
  await writeFile(
    path.join(project, "package.json"),
    JSON.stringify(
      {
        name: "acme-user-project",
        private: true,
        devDependencies: { "@assay/cli": file(cliTarball!), "assay-notifier-acme": file(pluginTarball) },
        // The CLI's own @assay dependencies are not on a registry: point them at their tarballs.
        overrides: Object.fromEntries(Object.entries(cliDependencies).map(([name, tarball]) => [name, file(tarball)])),
      },
      null,
      2,
    ),
  );
  await exec("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: project, timeout: 280_000 });

  await writeFile(
    path.join(project, "testsets", "green.yaml"),
    "name: Green\ndomain: shop\nstage: test\ninstance: main\ntestcases:\n  - { object: assay_contract_orders, type: dummy_ok }\n",
  );
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function configure(notifiers: string): Promise<void> {
  await writeFile(path.join(project, "assay.config.yaml"), `backend: { use: dummy }\nnotifiers:\n${notifiers}domains:\n  shop:\n    stages: { test: [main] }\n`);
}

interface Row {
  kind: string;
  name: string;
  package: string;
  origin: string;
  path: string;
  loaded: boolean;
}

describe("a third-party plugin installed from a tarball", () => {
  it("is listed by the installed assay, found through the project's package.json", async () => {
    await configure("  - stdout\n");
    const result = await assay(["plugins", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Row[];
    expect(rows.find((r) => r.name === "acme")).toMatchObject({
      kind: "notifier",
      package: "assay-notifier-acme",
      origin: "project",
      loaded: true,
      path: path.join(project, "node_modules", "assay-notifier-acme"),
    });
    // The bundled plugins are the installed copies, not the workspace's.
    const dummy = rows.find((r) => r.kind === "backend" && r.name === "dummy")!;
    expect(dummy).toMatchObject({ origin: "bundled", loaded: true });
    expect(dummy.path.startsWith(project)).toBe(true);
  });

  it("is selected by name in the config and receives the run's events", async () => {
    await configure("  - stdout\n  - { use: acme, options: { file: events.jsonl } }\n");
    const result = await assay(["run", "green"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/OK\s+assay_contract_orders\s+DUMMY_OK/);
    const events = (await readFile(path.join(project, "events.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(events).toEqual(["run.started", "testcase.started", "testcase.finished", "run.finished"]);
    expect((await readdir(path.join(project, ".assay"))).sort()).toEqual(["results", "runs"]);
  });

  it("has its options checked by its own schema", async () => {
    await configure("  - { use: acme, options: { file: 42 } }\n");
    const result = await assay(["config"]);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(
      /^assay.config.yaml:3:\d+, key notifiers.0.options.file: Invalid option for notifier "acme" at file: expected a file path \(a string\).*assay-notifier-acme documents its options.*\[PLUGIN_OPTIONS_INVALID\]$/,
    );
  });

  it("assay demo without @assay/backend-demo installed names the package and the install command", async () => {
    const result = await assay(["demo", "--dir", "demo"]);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(
      /assay demo needs @assay\/backend-demo, which is not installed.*npm install -D @assay\/backend-demo.*\[PLUGIN_NOT_FOUND\]$/,
    );
  });
});
