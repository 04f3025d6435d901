import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, expectOneParagraph, runCli, scratchPluginFiles, scratchProject, under, writeFiles } from "./helpers.js";

/**
 * `assay run`, `show` and `list` against the dummy backend in a scratch project: real
 * discovery, real file storage under .assay, real JSON files read back.
 */
const CONFIG = ["backend: { use: dummy }", "storage: file:.assay", "domains:", "  shop:", "    stages: { test: [main, copy], uat: [main] }", ""].join("\n");

const testSet = (name: string, types: string[]) =>
  [`name: ${name}`, "domain: shop", "stage: test", "instance: main", "testcases:", ...types.map((t) => `  - { object: assay_contract_orders, type: ${t} }`), ""].join("\n");

const FILES = {
  "assay.config.yaml": CONFIG,
  "testsets/green.yaml": testSet("Green", ["dummy_ok", "schema"]),
  "testsets/red.yaml": testSet("Red", ["dummy_ok", "dummy_nok", "rowcount"]),
  "testsets/broken.yaml": testSet("Broken", ["dummy_ok", "dummy_nok", "dummy_exception"]),
  "specs/shop/test/assay_contract_orders.schema.yaml": [
    "columns:",
    "  - { name: id, type: int, pk: true }",
    "  - { name: region, type: string }",
    '  - { name: amount, type: "decimal(12,2)" }',
    "  - { name: ordered_on, type: date }",
    "",
  ].join("\n"),
  // The dummy backend never executes SQL: this query yields its four rows, so ROWCOUNT is N/A.
  "specs/shop/test/assay_contract_orders.rowcount.sql": "SELECT count(*) FROM assay_contract_orders\n",
};

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await scratchProject(FILES));
});
afterAll(async () => {
  await cleanup();
});

interface StoredResult {
  object: string;
  type: string;
  result: string;
  status: string;
  summary: string;
}
interface Stored {
  run: { id: string; status: string; result: string; testSet: { name: string }; counts: Record<string, number> };
  results: StoredResult[];
}

describe("assay run", () => {
  it("exits 0 when every test case is OK, prints one line per test case and stores the run", async () => {
    const result = await runCli(["run", "green"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Green {2}shop\/test\/main {2}OK \(FINISHED, run \S+\)/);
    expect(result.stdout).toMatch(/^ {2}OK\s+assay_contract_orders\s+DUMMY_OK\s+This test case always returns OK\.$/m);
    expect(result.stdout).toMatch(/^ {2}OK\s+assay_contract_orders\s+SCHEMA\s+Schema matches the spec/m);
    expect(result.stdout).toMatch(/2 test cases: 2 OK, 0 NOK, 0 N\/A, 0 ERROR/);
    expect(result.stdout).not.toContain("\u001b[");
    const runs = await readdir(path.join(dir, ".assay", "runs", "shop"), { recursive: true });
    expect(runs.some((f) => f.endsWith("~green.json"))).toBe(true);
  });

  it("exits 1 for NOK or N/A and says why", async () => {
    const result = await runCli(["run", "testsets/red.yaml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ {2}NOK\s+assay_contract_orders\s+DUMMY_NOK\s+This test case always returns NOK\.$/m);
    expect(result.stdout).toMatch(/^ {2}N\/A\s+assay_contract_orders\s+ROWCOUNT\s+The rowcount spec .* must return one row/m);
    expect(result.stdout).toMatch(/3 test cases: 1 OK, 1 NOK, 1 N\/A, 0 ERROR/);
  });

  it("exits 3 when a test case is ERROR", async () => {
    const result = await runCli(["run", "Broken"], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^ {2}ERROR\s+assay_contract_orders\s+DUMMY_EXCEPTION\s+Technical error/m);
  });

  it("runs several test sets, at another instance, as JSON; show latest reads the last one back", async () => {
    const result = await runCli(["run", "green", "red", "--instance", "copy", "--concurrency", "1", "--json"], { cwd: dir });
    expect(result.code).toBe(1);
    const { runs } = JSON.parse(result.stdout) as { runs: Stored[] };
    expect(runs.map((r) => [r.run.testSet.name, r.run.result])).toEqual([["Green", "OK"], ["Red", "NOK"]]);
    expect(runs.every((r) => (r.run as { instance?: string }).instance === "copy")).toBe(true);
    // The progress went to stderr, so that stdout is one JSON document.
    expect(result.stderr).toContain("DUMMY_OK");

    const shown = await runCli(["show", "latest", "--json"], { cwd: dir });
    expect(shown.code).toBe(1);
    const stored = JSON.parse(shown.stdout) as Stored;
    expect(stored.run.id).toBe(runs[1]!.run.id);
    expect(stored.results.map((r) => [r.type, r.result])).toEqual([["DUMMY_OK", "OK"], ["DUMMY_NOK", "NOK"], ["ROWCOUNT", "N/A"]]);
    expect(stored.results).toEqual(runs[1]!.results);

    const byPrefix = await runCli(["show", runs[0]!.run.id.slice(0, 24)], { cwd: dir });
    expect(byPrefix.code).toBe(0);
    expect(byPrefix.stdout).toMatch(/Green {2}shop\/test\/copy {2}OK/);
  });

  it("lists runs, test sets, specs and objects", async () => {
    const runs = JSON.parse((await runCli(["list", "runs", "--json"], { cwd: dir })).stdout) as { runs: Array<{ run: Stored["run"] }> };
    expect(runs.runs.length).toBeGreaterThanOrEqual(5);
    const listed = await runCli(["list", "runs", "--instance", "copy"], { cwd: dir });
    expect(listed.stdout.trim().split("\n")).toHaveLength(3);

    const sets = await runCli(["list", "testsets"], { cwd: dir });
    expect(sets.code).toBe(0);
    expect(sets.stdout).toMatch(/^Green\s+shop\s+test\s+main\s+2\s+testsets\/green.yaml$/m);

    const specs = await runCli(["list", "specs", "--domain", "shop", "--stage", "test"], { cwd: dir });
    expect(specs.stdout).toMatch(/shop\s+test\s+assay_contract_orders\s+schema\s+ok\s+specs\/shop\/test\/assay_contract_orders.schema.yaml/);

    const objects = JSON.parse((await runCli(["list", "objects", "--stage", "test", "--json"], { cwd: dir })).stdout) as { objects: unknown[] };
    expect(objects.objects).toEqual([
      { domain: "shop", stage: "test", instance: "main", name: "assay_contract_orders", kind: "table" },
      { domain: "shop", stage: "test", instance: "copy", name: "assay_contract_orders", kind: "table" },
    ]);
  });

  it("refuses an unknown test set, stage or instance with exit 2 before anything runs", async () => {
    const unknown = await runCli(["run", "purple"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(expectOneParagraph(unknown.stderr)).toMatch(/No test set named "purple".*one of: .*Green.*\[TESTSET_NOT_FOUND\]/);
    const stage = await runCli(["run", "green", "--stage", "prod"], { cwd: dir });
    expect(stage.code).toBe(2);
    expect(expectOneParagraph(stage.stderr)).toMatch(/Stage "prod" is not declared for domain "shop"/);
    const list = await runCli(["list", "objects", "--domain", "nope"], { cwd: dir });
    expect(list.code).toBe(2);
    expect(expectOneParagraph(list.stderr)).toMatch(/Domain "nope" is not declared/);
  });

  it("show names what exists when a run id is unknown", async () => {
    const result = await runCli(["show", "nothing-like-this"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(/No run "nothing-like-this".*assay list runs.*\[RUN_NOT_FOUND\]/);
  });
});

describe("assay run: plugins chosen by the config", () => {
  it("an unknown backend is exit 2, naming the installed backends", async () => {
    const scratch = await scratchProject({ ...FILES, "assay.config.yaml": CONFIG.replace("use: dummy", "use: teradata") });
    try {
      const result = await runCli(["run", "green"], { cwd: scratch.dir });
      expect(result.code).toBe(2);
      expect(expectOneParagraph(result.stderr)).toMatch(/key backend.use: No backend plugin named "teradata" is installed. Expected one of the installed backends: dummy/);
      expect(existsSync(path.join(scratch.dir, ".assay"))).toBe(false);
    } finally {
      await scratch.cleanup();
    }
  });

  it("a plugin whose instance lacks a method of its port is refused (instance stage)", async () => {
    const scratch = await scratchProject({
      ...FILES,
      "assay.config.yaml": `plugins: [./plugins/mute]\nnotifiers: [mute]\n${CONFIG}`,
      ...under(
        "plugins/mute",
        scratchPluginFiles({
          packageName: "assay-notifier-mute",
          kind: "notifier",
          name: "mute",
          module: `export default { kind: "notifier", name: "mute", apiVersion: 1,
  optionsSchema: { "~standard": { version: 1, vendor: "x", validate: (value) => ({ value }) } },
  async create() { return { notify() {} }; } };\n`,
        }),
      ),
    });
    try {
      const result = await runCli(["run", "green"], { cwd: scratch.dir });
      expect(result.code).toBe(2);
      expect(expectOneParagraph(result.stderr)).toMatch(
        /Plugin assay-notifier-mute created a notifier that does not implement the notifier port: missing method close.*describeNotifierContract.*\[PLUGIN_INSTANCE_INVALID\]/,
      );
    } finally {
      await scratch.cleanup();
    }
  });
});

describe("assay run: Ctrl-C", () => {
  async function slowProject(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
    // Each backend call takes 2 s: the Ctrl-C sent at START lands while the first test case runs, even on a loaded machine.
    const scratch = await scratchProject({ ...FILES, "assay.config.yaml": CONFIG.replace("use: dummy }", "use: dummy, options: { delayMs: 2000 } }") });
    await writeFiles(scratch.dir, { "testsets/slow.yaml": testSet("Slow", Array.from({ length: 12 }, (_, i) => (i === 0 ? "schema" : "dummy_ok")).map((t, i) => (i === 0 ? t : `${t}, scenario: s${i}`))) });
    return scratch;
  }

  function interrupt(cwd: string, times: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    return new Promise((resolve) => {
      const started = Date.now();
      const child = spawn(process.execPath, [CLI_BIN, "run", "slow", "--concurrency", "1"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let sent = 0;
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (sent === 0 && stdout.includes("START")) {
          sent = 1;
          child.kill("SIGINT");
        }
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        // The second Ctrl-C once the CLI says it is stopping: two signals sent together may merge into one.
        if (times > 1 && sent === 1 && stderr.includes("Ctrl-C: stopping")) {
          sent = 2;
          child.kill("SIGINT");
        }
      });
      child.on("exit", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    });
  }

  it("the first Ctrl-C stops starting test cases and stores the run as ABORTED", async () => {
    const scratch = await slowProject();
    try {
      const result = await interrupt(scratch.dir, 1);
      expect(result.stderr).toContain("Ctrl-C: stopping. Running test cases are cancelled (their queries too)");
      expect(result.code).toBe(1);
      const shown = JSON.parse((await runCli(["show", "latest", "--json"], { cwd: scratch.dir })).stdout) as Stored;
      expect(shown.run.status).toBe("ABORTED");
      expect(shown.results.filter((r) => r.status === "ABORTED").length).toBeGreaterThan(5);
      // The test case running at the Ctrl-C was cancelled, not waited for.
      expect(shown.results[0]).toMatchObject({ status: "ABORTED", summary: "Stopped: the run was interrupted (Ctrl-C)." });
    } finally {
      await scratch.cleanup();
    }
  });

  it("a second Ctrl-C exits at once", async () => {
    // A notifier that takes 20 s to take the run.finished event keeps the orderly stop after the
    // first Ctrl-C busy, so the second one always arrives while the run is still stopping.
    const scratch = await slowProject();
    await writeFiles(scratch.dir, {
      "assay.config.yaml": `plugins: [./plugins/slowpoke]\nnotifiers: [stdout, slowpoke]\n${CONFIG.replace("use: dummy }", "use: dummy, options: { delayMs: 2000 } }")}`,
      ...under(
        "plugins/slowpoke",
        scratchPluginFiles({
          packageName: "assay-notifier-slowpoke",
          kind: "notifier",
          name: "slowpoke",
          module: `export default { kind: "notifier", name: "slowpoke", apiVersion: 1,
  optionsSchema: { "~standard": { version: 1, vendor: "x", validate: (value) => ({ value }) } },
  async create() { return { async notify(e) { if (e.type === "run.finished") await new Promise((r) => setTimeout(r, 20000)); }, async close() {} }; } };\n`,
        }),
      ),
    });
    try {
      const result = await interrupt(scratch.dir, 2);
      expect(result.code).toBe(130);
    } finally {
      await scratch.cleanup();
    }
  });
});
