import { describe, expect, it } from "vitest";
import { expectOneParagraph, runCli, scratchPluginFiles, scratchProjects, under } from "./helpers.js";

/**
 * Every way a user can get the configuration or the plugins wrong ends in exit code 2 and one
 * paragraph that says where (file, line, key), what was expected and how to fix it.
 */
const project = scratchProjects();


const DOMAIN = "domains:\n  sales:\n    stages: { test: [main] }\n";

describe("configuration and plugin errors", () => {
  it("an unknown backend lists the installed backends and never invents a package to install", async () => {
    const cwd = await project({ "assay.config.yaml": `backend:\n  use: snowflake\n${DOMAIN}` });
    const result = await runCli(["config"], { cwd });
    expect(result.code).toBe(2);
    const paragraph = expectOneParagraph(result.stderr);
    expect(paragraph).toMatch(/^assay.config.yaml:2:8, key backend.use: No backend plugin named "snowflake" is installed/);
    expect(paragraph).toMatch(/installed backends: .*dummy/);
    expect(paragraph).not.toContain("@assay/backend-snowflake");
    expect(paragraph).toContain('install the package that provides "snowflake"');
    expect(paragraph).toContain("[PLUGIN_NOT_FOUND]");
  });

  it("a YAML syntax error gives its line and column", async () => {
    const cwd = await project({ "assay.config.yaml": "format: json\nnotifiers: [stdout\nrun: {}\n" });
    const result = await runCli(["plugins"], { cwd });
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(/^assay.config.yaml:\d+:\d+: YAML syntax error: .*Fix the YAML at that position.*\[CONFIG_SYNTAX\]$/);
  });

  it("a plugin option of the wrong type names the key path and line", async () => {
    const cwd = await project({
      "assay.config.yaml": "notifiers:\n  - use: memory\n    options:\n      limit: ten\n",
    });
    const result = await runCli(["config"], { cwd });
    expect(result.code).toBe(2);
    const paragraph = expectOneParagraph(result.stderr);
    expect(paragraph).toMatch(/^assay.config.yaml:4:14, key notifiers.0.options.limit: Invalid option for notifier "memory" at limit: /);
    expect(paragraph).toContain("[PLUGIN_OPTIONS_INVALID]");
  });

  it("an unknown top-level key is named with its line", async () => {
    const cwd = await project({ "assay.config.yaml": "format: json\nnotifier: [stdout]\n" });
    const result = await runCli(["config"], { cwd });
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(
      /^assay.config.yaml:2:1, key notifier: Unknown key "notifier" in configuration\. Expected only the documented keys\. Remove or rename "notifier"\..*\[CONFIG_INVALID\]$/,
    );
  });

  it("a plugin written for an unsupported API version is refused before import, with an upgrade hint", async () => {
    const cwd = await project({
      "assay.config.yaml": "plugins:\n  - ./plugins/future\n",
      ...under("plugins/future", scratchPluginFiles({ packageName: "assay-notifier-future", kind: "notifier", name: "future", apiVersion: 7, module: "throw new Error('must not be imported');\n" })),
    });
    const result = await runCli(["config"], { cwd });
    expect(result.code).toBe(2);
    const paragraph = expectOneParagraph(result.stderr);
    expect(paragraph).toMatch(/plugins\/future\/package.json, key assay.apiVersion: Plugin assay-notifier-future \(notifier "future"\) is written for assay plugin API 7/);
    expect(paragraph).toContain("Upgrade assay");
    expect(paragraph).not.toContain("must not be imported");
    expect(paragraph).toContain("[PLUGIN_API_VERSION]");
  });

  it("a plugin module without create() is refused at the module stage", async () => {
    const cwd = await project({
      "assay.config.yaml": "plugins: [./plugins/half]\n",
      ...under(
        "plugins/half",
        scratchPluginFiles({
          packageName: "assay-notifier-half",
          kind: "notifier",
          name: "half",
          module: `export default { kind: "notifier", name: "half", apiVersion: 1, optionsSchema: { "~standard": { version: 1, vendor: "x", validate: (value) => ({ value }) } } };\n`,
        }),
      ),
    });
    const result = await runCli(["config"], { cwd });
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(/Plugin assay-notifier-half cannot be used: it has no create\(\) function.*\[PLUGIN_MODULE_INVALID\]$/);
  });

  it("two plugins with the same kind and name at the same level are refused", async () => {
    const cwd = await project({
      "assay.config.yaml": "plugins:\n  - ./plugins/one\n  - ./plugins/two\n",
      ...under("plugins/one", scratchPluginFiles({ packageName: "assay-notifier-one", kind: "notifier", name: "pager" })),
      ...under("plugins/two", scratchPluginFiles({ packageName: "assay-notifier-two", kind: "notifier", name: "pager" })),
    });
    for (const command of ["config", "plugins"]) {
      const result = await runCli([command], { cwd });
      expect(result.code).toBe(2);
      const paragraph = expectOneParagraph(result.stderr);
      expect(paragraph).toMatch(/^assay.config.yaml:3:5, key plugins.1: Two plugins register notifier "pager" in the config's plugins: list: assay-notifier-one at .* and assay-notifier-two at /);
      expect(paragraph).toContain("[PLUGIN_DUPLICATE]");
    }
  });

  it("a plugins: entry that cannot be resolved names the entry, the line and how to install it", async () => {
    const cwd = await project({ "assay.config.yaml": "format: json\nplugins:\n  - assay-backend-nowhere\n" });
    const result = await runCli(["config"], { cwd });
    expect(result.code).toBe(2);
    const paragraph = expectOneParagraph(result.stderr);
    expect(paragraph).toMatch(/^assay.config.yaml:3:5, key plugins.0: Plugin package assay-backend-nowhere listed in plugins: is not installed/);
    expect(paragraph).toContain("npm install -D assay-backend-nowhere");
    expect(paragraph).toContain("[PLUGIN_UNRESOLVABLE]");

    const listing = await runCli(["plugins"], { cwd });
    expect(listing.code).toBe(2);
    expect(listing.stdout).toMatch(/assay-backend-nowhere\s+config\s+no/);
  });

  it("--debug adds the stack trace; without it there is none", async () => {
    const cwd = await project({ "assay.config.yaml": "bakend: {}\n" });
    const plain = await runCli(["config"], { cwd });
    expect(plain.code).toBe(2);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(["--debug", "config"], { cwd });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/Unknown key "bakend"/);
    expect(debug.stderr).toMatch(/\n\s+at .*load\.js/);
  });

  it("a usage error exits 2", async () => {
    const cwd = await project({});
    const result = await runCli(["frobnicate"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    const option = await runCli(["plugins", "--nope"], { cwd });
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--nope'");
  });
});
