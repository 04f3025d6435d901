import { describe, expect, it } from "vitest";
import { runCli, scratchPluginFiles, scratchProjects, under } from "./helpers.js";

/** Values read through ${env:NAME} never reach the terminal: not in `assay config`, not in errors. */
const SECRET_PW = "Sup3r-Secret-Pw!";
const SECRET_URL_PW = "urlpw-4242-xyz";
const env = { ASSAY_SECRET_PW: SECRET_PW, ASSAY_SECRET_URL_PW: SECRET_URL_PW };

const BASE = [
  "plugins: [./plugins/vault]",
  "backend:",
  "  use: vault",
  "  options:",
  "    password: ${env:ASSAY_SECRET_PW}",
  "    url: postgres://app:${env:ASSAY_SECRET_URL_PW}@db.example:5432/warehouse",
  "    written: postgres://app:written-in-file@db.example/x",
  "    host: db.example",
  "domains:",
  "  sales:",
  "    stages: { test: [main] }",
].join("\n");

const VAULT = under("plugins/vault", scratchPluginFiles({ packageName: "assay-backend-vault", kind: "backend", name: "vault" }));

const scratchDir = scratchProjects();

function project(config: string): Promise<string> {
  return scratchDir({ "assay.config.yaml": config, ...VAULT });
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(SECRET_PW);
  expect(text).not.toContain(SECRET_URL_PW);
  expect(text).not.toContain(JSON.stringify(SECRET_PW).slice(1, -1));
}

describe("secrets", () => {
  it("assay config masks env values, password keys and URL passwords", async () => {
    const cwd = await project(BASE);
    const result = await runCli(["config"], { cwd, env });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expectNoSecret(result.stdout);
    expect(result.stdout).not.toContain("written-in-file");
    expect(result.stdout).toMatch(/password: "\*\*\*"/);
    expect(result.stdout).toContain("url: postgres://app:***@db.example:5432/warehouse");
    expect(result.stdout).toContain("written: postgres://app:***@db.example/x");
    expect(result.stdout).toContain("host: db.example");
    expect(result.stdout).toMatch(/sales:\n\s+stages:/);
  });

  it("a validation error of the same config does not show the secret it found", async () => {
    const cwd = await project(`${BASE}\nrun:\n  concurrency: \${env:ASSAY_SECRET_PW}\n`);
    for (const args of [["config"], ["--debug", "config"], ["plugins"]]) {
      const result = await runCli(args, { cwd, env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("key run.concurrency");
      expectNoSecret(result.stderr + result.stdout);
    }
  });

  it("an unknown key in the same config does not show secrets either", async () => {
    const cwd = await project(`${BASE}\n    colour: \${env:ASSAY_SECRET_PW}\n`);
    const result = await runCli(["config"], { cwd, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown key "colour"');
    expectNoSecret(result.stderr);
  });

  it("an option error whose message quotes the value does not show it", async () => {
    const cwd = await project(`${BASE}\nstorage: \${env:ASSAY_SECRET_PW}\n`);
    const result = await runCli(["config"], { cwd, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Storage location "***" has no URL scheme');
    expectNoSecret(result.stderr);
  });

  it("a plugin that prints a secret while it is created is redacted too", async () => {
    const leaky = under(
      "plugins/leaky",
      scratchPluginFiles({
        packageName: "assay-notifier-leaky",
        kind: "notifier",
        name: "leaky",
        module: `export default { kind: "notifier", name: "leaky", apiVersion: 1,
  optionsSchema: { "~standard": { version: 1, vendor: "x", validate: (value) => ({ value }) } },
  async create(options) { console.log("connecting with " + options.token); throw new Error("refused for " + options.token); } };\n`,
      }),
    );
    const dir = await scratchDir({
      "assay.config.yaml": `${BASE.replace("plugins: [./plugins/vault]", "plugins: [./plugins/vault, ./plugins/leaky]")}\nnotifiers:\n  - { use: leaky, options: { token: "\${env:ASSAY_SECRET_URL_PW}" } }\n`,
      ...VAULT,
      ...leaky,
      "testsets/smoke.yaml": "name: smoke\ndomain: sales\nstage: test\ninstance: main\ntestcases:\n  - { object: t, type: dummy_ok }\n",
    });
    const result = await runCli(["run", "smoke"], { cwd: dir, env });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("***");
    expectNoSecret(result.stdout + result.stderr);
  });
});
