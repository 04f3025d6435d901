import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { colorsFor } from "../src/render/colors.js";
import { renderRunSummary } from "../src/render/summary.js";
import { assayCommand } from "../src/project/invocation.js";
import { CLI_BIN, expectOneParagraph, runCli, scratchPluginFiles, scratchProjects, under, writeFiles, type StoredRun } from "./helpers.js";

/**
 * Issue 14 through the real CLI in its own process: no hang (pipes, plugins that never answer),
 * interrupted runs (Ctrl-C, SIGTERM, a second Ctrl-C, SIGKILL), wrong input refused with one
 * paragraph, bytes, one result model in every output, and the CLI's habits.
 */
const project = scratchProjects();

const CONFIG = ["backend: { use: dummy }", "storage: file:.assay", "domains:", "  shop:", "    stages: { test: [main] }", ""].join("\n");
const testSet = (name: string, types: string[]) =>
  [`name: ${name}`, "domain: shop", "stage: test", "instance: main", "testcases:", ...types.map((t, i) => `  - { object: o${i}, type: ${t} }`), ""].join("\n");
const FILES = { "assay.config.yaml": CONFIG, "testsets/green.yaml": testSet("Green", ["dummy_ok", "dummy_ok"]), "testsets/mixed.yaml": testSet("Mixed", ["dummy_ok", "dummy_nok", "dummy_exception"]) };

/** A plugin package under plugins/<name> whose module is `module`. */
function pluginFiles(name: string, kind: "notifier" | "backend" | "reporter", module: string): Record<string, string> {
  return under(`plugins/${name}`, scratchPluginFiles({ packageName: `assay-${kind}-${name}`, kind, name, module }));
}

const ANY = `{ "~standard": { version: 1, vendor: "t", validate: (value) => ({ value: value ?? {} }) } }`;

describe("no hang: pipes and plugins that never answer", () => {
  it("refuses a named pipe given as the test set, and runs by name past one in the test set folder", async () => {
    const cwd = await project(FILES);
    execFileSync("mkfifo", [path.join(cwd, "testsets/pipe.yaml")]);
    const given = await runCli(["run", "testsets/pipe.yaml"], { cwd });
    expect(given.code).toBe(2);
    expect(expectOneParagraph(given.stderr)).toMatch(/testsets\/pipe.yaml.*named pipe \(FIFO\).*\[TESTSET_INVALID\]/);
    const byName = await runCli(["run", "green"], { cwd });
    expect(byName.code).toBe(0);
    const listed = await runCli(["list", "testsets"], { cwd });
    expect(listed.code).toBe(2);
    expect(listed.stderr).toMatch(/pipe.yaml.*named pipe/);
  });

  it("does not block on a named pipe where a plugin's package.json should be", async () => {
    const cwd = await project({ ...FILES, "assay.config.yaml": `plugins: [./plugins/pipe]\n${CONFIG}` });
    mkdirSync(path.join(cwd, "plugins/pipe"), { recursive: true });
    execFileSync("mkfifo", [path.join(cwd, "plugins/pipe/package.json")]);
    const result = await runCli(["plugins"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/package.json cannot be read: it is a named pipe/);
  });

  it("finishes a run whose notifier never answers and never closes, naming it, and exits", async () => {
    const stuck = `export default { kind: "notifier", name: "stuck", apiVersion: 1, optionsSchema: ${ANY},
      async create() { setInterval(() => undefined, 1000); return { notify: () => new Promise(() => undefined), close: () => new Promise(() => undefined) }; } };`;
    const cwd = await project({
      ...FILES,
      ...pluginFiles("stuck", "notifier", stuck),
      "assay.config.yaml": `plugins: [./plugins/stuck]\nnotifiers: [stdout, stuck]\nrun: { callTimeoutMs: 300 }\n${CONFIG}`,
    });
    const result = await runCli(["run", "green"], { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/WARN {3}The notifier "stuck" failed and receives no further events: The notifier "stuck" \(event run.started\) did not answer within 300 ms/);
    expect(result.stderr).toMatch(/Warning: The notifier "stuck" \(closing it\) did not answer within 300 ms/);
    expect(result.stdout).toMatch(/Green .* OK \(FINISHED/);
  });

  it("stops a reporter that never finishes at its deadline, naming it, and exits with the run stored", async () => {
    const stuck = `export default { kind: "reporter", name: "stuck", apiVersion: 1, optionsSchema: ${ANY},
      async create() { setInterval(() => undefined, 1000); return { extension: "txt", mediaType: "text/plain",
        async *render() { yield "started"; await new Promise(() => undefined); } }; } };`;
    const cwd = await project({
      ...FILES,
      ...pluginFiles("stuck", "reporter", stuck),
      "assay.config.yaml": `plugins: [./plugins/stuck]\nrun: { callTimeoutMs: 300 }\n${CONFIG}`,
    });
    const result = await runCli(["run", "green", "--reporter", "stuck=stuck.txt"], { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(3);
    expect(expectOneParagraph(result.stderr)).toMatch(/The reporter "stuck" \(writing .*stuck.txt\) did not answer within 300 ms.*\[PLUGIN_TIMEOUT\]/);
    // No half-written report is left behind, and the run itself was stored before the reports.
    expect(existsSync(path.join(cwd, "stuck.txt"))).toBe(false);
    expect((await runCli(["show", "latest"], { cwd })).stdout).toMatch(/Green .* OK \(FINISHED/);
  });

  it("finishes a run whose backend's calls and close never settle, and exits", async () => {
    const hanging = `export default { kind: "backend", name: "hang", apiVersion: 1, optionsSchema: ${ANY},
      async create() {
        setInterval(() => undefined, 1000);
        const never = () => new Promise(() => undefined);
        return { capabilities: { primaryKeys: false, partitioning: false, clustering: false, compare: false, sampledCompare: false, orderedScan: false, latestLoad: false },
          listTestObjects: never, exists: never, hasRows: never, getSchema: never, getQuerySchema: never, countRows: never,
          async *query() { await never(); }, close: never };
      } };`;
    const cwd = await project({
      ...FILES,
      ...pluginFiles("hang", "backend", hanging),
      "assay.config.yaml": `plugins: [./plugins/hang]\nrun: { timeoutMs: 300, callTimeoutMs: 300 }\n${CONFIG.replace("use: dummy", "use: hang")}`,
      "testsets/schema.yaml": testSet("Schema", ["schema"]),
      "specs/shop/test/o0.schema.yaml": "columns:\n  - { name: id, type: int }\n",
    });
    const result = await runCli(["run", "schema"], { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/ERROR +o0 +SCHEMA +Test case timed out after 300 ms/);
    expect(result.stdout).toMatch(/The backend \(closing it\) did not answer within 300 ms/);
    const listed = await runCli(["list", "objects"], { cwd, timeoutMs: 60_000 });
    expect(listed.code).toBe(3);
    expect(listed.stderr).toContain("The backend (listing the test objects of shop/test/main) did not answer within 300 ms");
  });
});

describe("interrupted runs", () => {
  async function slowProject(): Promise<string> {
    // Each test case waits 60 s in the backend unless its signal aborts: only cancelling ends it soon.
    return project({
      ...FILES,
      "assay.config.yaml": CONFIG.replace("use: dummy }", "use: dummy, options: { delayMs: 60000 } }"),
      "testsets/slow.yaml": testSet("Slow", ["schema", "schema", "schema", "schema"]),
      ...Object.fromEntries([0, 1, 2, 3].map((i) => [`specs/shop/test/o${i}.schema.yaml`, "columns:\n  - { name: id, type: int }\n"])),
    });
  }

  /** Starts `assay run slow`, sends `signals` once a test case runs, and waits for the exit. */
  function interrupted(cwd: string, signals: NodeJS.Signals[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI_BIN, "run", "slow", "--concurrency", "2"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let sent = false;
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!sent && stdout.includes("START")) {
          sent = true;
          for (const s of signals) child.kill(s);
        }
      });
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  const show = async (cwd: string) => JSON.parse((await runCli(["show", "latest", "--json"], { cwd })).stdout) as StoredRun & { state?: string };

  it("SIGTERM does what the first Ctrl-C does: says so, cancels running test cases, stores ABORTED", async () => {
    const cwd = await slowProject();
    const result = await interrupted(cwd, ["SIGTERM"]);
    expect(result.stderr).toContain("SIGTERM: stopping. Running test cases are cancelled");
    expect(result.code).toBe(1);
    const stored = await show(cwd);
    expect(stored.run).toMatchObject({ status: "ABORTED", result: "N/A" });
    expect(stored.results.map((r) => r.status)).toEqual(["ABORTED", "ABORTED", "ABORTED", "ABORTED"]);
    expect(stored.results.filter((r) => r.summary === "Stopped: the run was interrupted (SIGTERM).")).toHaveLength(2);
  });

  it("a second Ctrl-C exits at once, even while a plugin holds the run's end, and leaves a valid store", async () => {
    // A notifier that never answers the run's last event keeps the CLI busy (for run.callTimeoutMs) after the first Ctrl-C.
    const late = `export default { kind: "notifier", name: "late", apiVersion: 1, optionsSchema: ${ANY},
      async create() { return { notify: (e) => (e.type === "run.finished" ? new Promise(() => undefined) : undefined), close: async () => undefined }; } };`;
    const cwd = await slowProject();
    await writeFiles(cwd, { ...pluginFiles("late", "notifier", late), "assay.config.yaml": `plugins: [./plugins/late]\nnotifiers: [stdout, late]\n${CONFIG.replace("use: dummy }", "use: dummy, options: { delayMs: 60000 } }")}` });
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI_BIN, "run", "slow"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("START") && !child.killed) child.kill("SIGINT");
        // The run has ended and only the stuck notifier holds the CLI: the second Ctrl-C.
        if (stdout.includes("finished: N/A")) setTimeout(() => child.kill("SIGINT"), 200);
      });
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).toContain("Ctrl-C: stopping.");
    expect(result.stderr).toContain("Exiting at once");
    expect(result.code).toBe(130);
    const shown = await runCli(["show", "latest", "--json"], { cwd });
    expect((JSON.parse(shown.stdout) as StoredRun).run.status).toBe("ABORTED");
  });

  it("a run killed outright (SIGKILL) is shown as interrupted, with every test case", async () => {
    const cwd = await slowProject();
    const result = await interrupted(cwd, ["SIGKILL"]);
    expect(result.signal).toBe("SIGKILL");
    const stored = await show(cwd);
    expect(stored.state).toBe("interrupted");
    expect(stored.run.counts).toMatchObject({ total: 4, na: 4 });
    const shown = await runCli(["show", "latest"], { cwd });
    expect(shown.stdout.match(/no result: the run ended before this test case finished/g)).toHaveLength(4);
  });
});

describe("wrong input: exit 2, one paragraph naming the file and key", () => {
  it("refuses a dangling-symlink config instead of using the parent folder's", async () => {
    const parent = await project({ "assay.config.yaml": CONFIG });
    const child = path.join(parent, "child");
    mkdirSync(child);
    symlinkSync(path.join(child, "gone.yaml"), path.join(child, "assay.config.yaml"));
    const result = await runCli(["list", "runs"], { cwd: child });
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(/^assay.config.yaml: The config file assay.config.yaml cannot be used: it is a symbolic link to nothing/);
  });

  it("refuses non-UTF-8 bytes in the config, naming the byte offset, and creates nothing", async () => {
    const cwd = await project({});
    writeFileSync(path.join(cwd, "assay.config.yaml"), Buffer.concat([Buffer.from("storage: file:.assay"), Buffer.from([0xe9]), Buffer.from(`\n${CONFIG.replace("storage: file:.assay\n", "")}`)]));
    const result = await runCli(["run", "green"], { cwd });
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result.stderr)).toMatch(/^assay.config.yaml:1: The file is not valid UTF-8: byte 0xE9 at byte offset 20/);
    expect((await readdir(cwd)).filter((n) => n.startsWith(".assay"))).toEqual([]);
  });

  it("names testsets: when it points at a file, and the backend's options key when they are unusable", async () => {
    const cwd = await project({ ...FILES, "assay.config.yaml": `testsets: notes.txt\n${CONFIG}`, "notes.txt": "hi" });
    const listed = await runCli(["list", "testsets"], { cwd });
    expect(listed.code).toBe(2);
    expect(expectOneParagraph(listed.stderr)).toMatch(/key testsets: The test set folder notes.txt cannot be listed: it is not a folder/);

    const badUrl = await project({ ...FILES, "assay.config.yaml": CONFIG.replace("backend: { use: dummy }", 'backend: { use: postgres, options: { url: "postgres://[bad" } }') });
    const run = await runCli(["run", "green"], { cwd: badUrl });
    expect(run.code).toBe(2);
    expect(expectOneParagraph(run.stderr)).toMatch(/assay.config.yaml:1:\d+, key backend.options: .*could not be created from its options: Invalid URL/);
  });

  it("masks a one-character secret only as a whole value", async () => {
    const cwd = await project({ "assay.config.yaml": 'run: { concurrency: "${env:HOOK_TOKEN}" }\n' });
    const result = await runCli(["config"], { cwd, env: { HOOK_TOKEN: "x" } });
    expect(result.code).toBe(2);
    const paragraph = expectOneParagraph(result.stderr);
    expect(paragraph).toMatch(/expected number/i);
    expect(paragraph).not.toMatch(/\*\*\*pected|E\*\*\*/);
  });

  it("shows ESC and NUL in names escaped", async () => {
    const cwd = await project({ ...FILES, "testsets/evil.yaml": testSet("Evil\u001b[2J\u0000", ["dummy_ok"]).replace("o0", '"o\\e[31m0"') });
    const result = await runCli(["run", "testsets/evil.yaml"], { cwd, env: { NO_COLOR: "" } });
    expect(result.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- no control character but the newline may reach the terminal
    expect(result.stdout.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f]/);
    expect(result.stdout).toContain("Evil\\x1B[2J\\x00");
    expect(result.stdout).toContain("o\\x1B[31m0");
  });
});

describe("one result per run, everywhere", () => {
  it("a run with an ERROR test case is ERROR in the progress line, the table, list runs, JSON and the exit code", async () => {
    const cwd = await project(FILES);
    const run = await runCli(["run", "mixed"], { cwd });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/Run \S+ finished: ERROR in/);
    expect(run.stdout).toMatch(/Mixed {2}shop\/test\/main {2}ERROR \(FINISHED, run /);
    const json = JSON.parse((await runCli(["show", "latest", "--json"], { cwd })).stdout) as StoredRun;
    expect(json.run.result).toBe("ERROR");
    const listed = await runCli(["list", "runs", "--json"], { cwd });
    expect((JSON.parse(listed.stdout) as { runs: Array<{ run: { result: string } }> }).runs[0]!.run.result).toBe("ERROR");
    expect((await runCli(["list", "runs"], { cwd })).stdout).toMatch(/Mixed .* ERROR +FINISHED/);
    expect((await runCli(["show", "latest"], { cwd })).code).toBe(3);
    const again = await runCli(["run", "mixed", "--json"], { cwd });
    expect((JSON.parse(again.stdout) as { runs: StoredRun[] }).runs[0]!.run.result).toBe("ERROR");
  });
});

describe("CLI habits", () => {
  it("bounds --concurrency as the config does", async () => {
    const cwd = await project(FILES);
    for (const n of ["0", "257", "2.5"]) {
      const result = await runCli(["run", "green", "--concurrency", n], { cwd });
      expect(result.code, n).toBe(2);
      expect(result.stderr).toContain("expected a whole number from 1 to 256");
    }
    expect((await runCli(["run", "green", "--concurrency", "256"], { cwd })).code).toBe(0);
  });

  it("takes a test set path relative to the working folder", async () => {
    const cwd = await project(FILES);
    const result = await runCli(["run", "green.yaml"], { cwd: path.join(cwd, "testsets") });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Green {2}shop/);
  });

  it("lists its choices for a bare assay list", async () => {
    const cwd = await project(FILES);
    const result = await runCli(["list"], { cwd });
    expect(result.code).toBe(0);
    for (const choice of ["testsets", "specs", "runs", "objects"]) expect(result.stdout).toMatch(new RegExp(`^ {2}${choice} `, "m"));
  });

  it("prints the configuration as JSON, and refuses to work outside a project", async () => {
    const cwd = await project(FILES);
    const json = await runCli(["config", "--json"], { cwd });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ backend: { use: "dummy" }, run: { concurrency: 4, callTimeoutMs: 60000 } });
    const outside = await project({});
    for (const args of [["config"], ["run", "green"], ["list", "runs"], ["show", "latest"]]) {
      const result = await runCli(args, { cwd: outside });
      expect(result.code, args.join(" ")).toBe(2);
      expect(expectOneParagraph(result.stderr)).toMatch(/No assay.config.yaml was found in .* or any folder above it.*\[CONFIG_NOT_FOUND\]/);
    }
  });

  it("honours FORCE_COLOR in a pipe, and NO_COLOR over it", async () => {
    const cwd = await project(FILES);
    const forced = await runCli(["run", "green"], { cwd, env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[3");
    const both = await runCli(["run", "green"], { cwd, env: { FORCE_COLOR: "1", NO_COLOR: "1" } });
    expect(both.stdout).not.toContain("\u001b[");
  });

  it("prints each result once on a terminal", async () => {
    const cwd = await project(FILES);
    const output = await new Promise<string>((resolve) => {
      execFile("script", ["-qec", `${process.execPath} ${CLI_BIN} run mixed`, "/dev/null"], { cwd, timeout: 60_000, env: { ...process.env, NO_COLOR: "1", COLUMNS: "120" } }, (_e, stdout) => resolve(stdout));
    });
    expect(output.match(/o1 DUMMY_NOK/g)).toHaveLength(1);
    expect(output).toMatch(/Mixed {2}shop\/test\/main {2}ERROR/);
  });

  it("shows a plugin whose instance lacks a method of its port as not loaded", async () => {
    const broken = `export default { kind: "notifier", name: "half", apiVersion: 1, optionsSchema: ${ANY}, async create() { return { notify() {} }; } };`;
    const cwd = await project({ ...FILES, ...pluginFiles("half", "notifier", broken), "assay.config.yaml": `plugins: [./plugins/half]\n${CONFIG}` });
    const result = await runCli(["plugins", "--json"], { cwd });
    expect(result.code).toBe(2);
    const row = (JSON.parse(result.stdout) as Array<{ name: string; loaded: boolean; instance: string; error: string }>).find((r) => r.name === "half")!;
    expect(row).toMatchObject({ loaded: false, instance: "failed" });
    expect(row.error).toMatch(/does not implement the notifier port: missing method close/);
    const table = await runCli(["plugins"], { cwd });
    expect(table.stdout).toMatch(/notifier +half +assay-notifier-half +1.2.3 +config +no/);
  });
});

describe("rendering", () => {
  const plain = colorsFor({ isTTY: false } as NodeJS.WriteStream, true, {});
  const run = {
    id: "r", testSet: { name: "S", file: "s.yaml", labels: [] }, domain: "d", stage: "s", instance: "i", status: "FINISHED" as const, result: "NOK" as const,
    startedAt: "2026-01-01T00:00:00.000Z", endedAt: "2026-01-01T00:00:01.000Z", counts: { total: 1, ok: 0, nok: 1, na: 0, error: 0 }, message: null,
    testcases: [{ id: "t_SCHEMA", object: "t", type: "SCHEMA", scenario: null }],
  };
  const result = { id: "t_SCHEMA", runId: "r", object: "t", type: "SCHEMA", scenario: null, at: { domain: "d", stage: "s", instance: "i" }, result: "NOK" as const, status: "FINISHED" as const, summary: "why ".repeat(100), specs: [], facts: [], details: [], diff: {}, startedAt: "", endedAt: null, durationMs: 1 };

  it("makes the reason as wide as the terminal allows", () => {
    for (const width of [60, 100, 200]) {
      const lines = renderRunSummary({ run, results: [result] }, plain, { width }).split("\n");
      const row = lines.find((l) => l.includes("why"))!;
      expect(row.length, String(width)).toBe(width);
    }
  });

  it("leaves the table out when the live progress already showed each result", () => {
    const text = renderRunSummary({ run, results: [result] }, plain, { rows: false });
    expect(text).not.toContain("why");
    expect(text).toContain("1 test case: 0 OK, 1 NOK");
  });

  it("suggests the command that works where assay is installed", () => {
    const repo = path.resolve(CLI_BIN, "../../../..");
    expect(existsSync(path.join(repo, "node_modules/.bin/assay"))).toBe(true);
    expect(assayCommand(path.join(repo, "assay-demo"), { npm_config_user_agent: "pnpm/10.34.9 npm/? node/v20", PATH: "" })).toBe("pnpm exec assay");
    expect(assayCommand(path.join(repo, "assay-demo"), { npm_config_user_agent: "npm/11 node/v20", PATH: "" })).toBe("npx assay");
    expect(assayCommand("/", { PATH: "" }, "/opt/assay/bin.js")).toBe("node /opt/assay/bin.js");
  });
});
