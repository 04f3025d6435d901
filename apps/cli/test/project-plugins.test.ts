import { describe, expect, it } from "vitest";
import type { PluginRow } from "../src/commands/plugins.js";
import { expectOneParagraph, runCli, scratchPluginFiles, scratchProjects, under } from "./helpers.js";

/**
 * Plugins the project depends on are found through its package.json only: no code runs to list
 * them, and packages in node_modules that the project does not depend on are never seen.
 */
const scratchDir = scratchProjects();

function project(config: string): Promise<string> {
  return scratchDir({
    "package.json": JSON.stringify({
      name: "user-project",
      private: true,
      dependencies: { "plain-lib": "1.0.0", "not-installed": "1.0.0" },
      devDependencies: { "assay-notifier-acme": "1.0.0", "assay-notifier-broken": "1.0.0" },
    }),
    "assay.config.yaml": config,
    ...under("node_modules/assay-notifier-acme", scratchPluginFiles({ packageName: "assay-notifier-acme", kind: "notifier", name: "acme" })),
    ...under(
      "node_modules/assay-notifier-broken",
      scratchPluginFiles({ packageName: "assay-notifier-broken", kind: "notifier", name: "broken", module: "throw new Error('broken on import');\n" }),
    ),
    // A dependency that is not a plugin: its code must never run.
    "node_modules/plain-lib/package.json": JSON.stringify({ name: "plain-lib", version: "1.0.0", type: "module", exports: "./index.js" }),
    "node_modules/plain-lib/index.js": "throw new Error('plain-lib was imported');\n",
    // A plugin in node_modules the project does not depend on: never scanned.
    ...under("node_modules/assay-notifier-stray", scratchPluginFiles({ packageName: "assay-notifier-stray", kind: "notifier", name: "stray" })),
    ...under("plugins/acme-local", scratchPluginFiles({ packageName: "acme-local", kind: "notifier", name: "acme" })),
  });
}

describe("project plugins", () => {
  it("lists the project's plugins with their origin, and only those it depends on", async () => {
    const cwd = await project("format: json\n");
    const result = await runCli(["plugins", "--json"], { cwd });
    const rows = JSON.parse(result.stdout) as PluginRow[];
    const acme = rows.find((r) => r.package === "assay-notifier-acme")!;
    expect(acme).toMatchObject({ kind: "notifier", name: "acme", version: "1.2.3", origin: "project", loaded: true, active: true, error: null });
    expect(acme.path).toContain("node_modules/assay-notifier-acme");
    const broken = rows.find((r) => r.package === "assay-notifier-broken")!;
    expect(broken).toMatchObject({ origin: "project", loaded: false });
    expect(broken.error).toContain("broken on import");
    expect(rows.map((r) => r.package)).not.toContain("assay-notifier-stray");
    expect(rows.map((r) => r.package)).not.toContain("plain-lib");
    expect(rows.filter((r) => r.origin === "bundled").map((r) => r.name)).toEqual(expect.arrayContaining(["file", "json", "dict", "memory"]));
    // A discovered plugin failed: exit 2.
    expect(result.code).toBe(2);
  });

  it("prints a table with where each plugin was found", async () => {
    const cwd = await project("format: json\n");
    const result = await runCli(["plugins"], { cwd });
    expect(result.stdout).toMatch(/^KIND\s+NAME\s+PACKAGE\s+VERSION\s+ORIGIN\s+LOADED\s+PATH$/m);
    expect(result.stdout).toMatch(/notifier\s+acme\s+assay-notifier-acme\s+1\.2\.3\s+project\s+yes\s+\S+node_modules\/assay-notifier-acme/);
    expect(result.stdout).toMatch(/assay-notifier-broken: .*broken on import.*\[PLUGIN_MODULE_INVALID\]/);
  });

  it("a config plugins: entry hides a project plugin of the same kind and name", async () => {
    const cwd = await project("plugins: [./plugins/acme-local]\n");
    const rows = JSON.parse((await runCli(["plugins", "--json"], { cwd })).stdout) as PluginRow[];
    expect(rows.find((r) => r.package === "acme-local")).toMatchObject({ origin: "config", loaded: true, active: true });
    expect(rows.find((r) => r.package === "assay-notifier-acme")).toMatchObject({ origin: "project", loaded: true, active: false });
  });

  it("a config can select a project plugin by name; a broken one that is not selected does not matter", async () => {
    const cwd = await project("notifiers: [acme]\n");
    const result = await runCli(["config"], { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/notifiers:\n\s+- use: acme/);
  });

  it("selecting the broken plugin shows why it failed", async () => {
    const cwd = await project("notifiers: [broken]\n");
    const result = await runCli(["config"], { cwd });
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(/Plugin assay-notifier-broken cannot be imported from .*: broken on import/);
  });
});

describe("packaging rules", () => {
  const newProject = scratchProjects();

  it("warns, naming each broken rule, when an installed plugin breaks the packaging rules", async () => {
    const dir = await newProject({
      "package.json": JSON.stringify({ name: "p", private: true, dependencies: { "acme-notifier": "1.0.0" } }),
      "node_modules/acme-notifier/package.json": JSON.stringify({
        name: "acme-notifier",
        version: "1.0.0",
        keywords: ["assay-plugin"],
        assay: { apiVersion: 1, kind: "notifier", name: "acme" },
        main: "./index.js",
        dependencies: { "@assay/ports": "^0.1.0" },
      }),
      "node_modules/acme-notifier/index.js": scratchPluginFiles({ packageName: "acme-notifier", kind: "notifier", name: "acme" })["index.js"]!,
    });
    const result = await runCli(["plugins", "--json"], { cwd: dir });
    const rows = JSON.parse(result.stdout) as Array<{ package: string; warnings: string[] }>;
    const acme = rows.find((r) => r.package === "acme-notifier")!;
    expect(acme.warnings.join("\n")).toMatch(/"type": "module"/);
    expect(acme.warnings.join("\n")).toMatch(/no exports map/);
    expect(acme.warnings.join("\n")).toMatch(/not assay-notifier-<name>/);
    expect(acme.warnings.join("\n")).toMatch(/keyword assay-notifier/);
    expect(acme.warnings.join("\n")).toMatch(/peerDependency/);
    expect(result.stderr).toContain("Warning: Plugin acme-notifier is not marked as ESM");
  });

  it("gives no warning for a plugin that follows them", async () => {
    const dir = await newProject({
      "package.json": JSON.stringify({ name: "p", private: true, dependencies: { "assay-notifier-acme": "1.2.3" } }),
      ...Object.fromEntries(Object.entries(scratchPluginFiles({ packageName: "assay-notifier-acme", kind: "notifier", name: "acme" })).map(([f, t]) => [`node_modules/assay-notifier-acme/${f}`, t])),
    });
    const result = await runCli(["plugins", "--json"], { cwd: dir });
    const rows = JSON.parse(result.stdout) as Array<{ package: string; warnings: string[] }>;
    expect(rows.find((r) => r.package === "assay-notifier-acme")?.warnings).toEqual([]);
    expect(result.stderr).not.toContain("Warning");
  });
});
