import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, definePlugin, type Notifier, type Storage } from "@assay/ports";
import { DummyBackend } from "@assay/backend-dummy";
import { MemoryNotifier } from "@assay/notifier-memory";
import { DictStorage } from "@assay/storage-dict";
import { JsonFormatter } from "@assay/formatter-json";
import { z } from "zod";
import { loadConfig } from "../src/config/load.js";
import { Redactor } from "../src/config/redact.js";
import { nearestName, PluginRegistry } from "../src/registry.js";
import { countResults, exitCodeOfResult, runResult } from "../src/runner/counts.js";
import { NotifierHub } from "../src/runner/notifier-hub.js";
import { runTestSet } from "../src/runner/run-test-set.js";
import { runLiveness, settleStoredRun } from "../src/runner/stored-run.js";
import { discoverSpecs } from "../src/specs/discover.js";
import { parseSqlSpec } from "../src/specs/parse-sql.js";
import { ResultStore } from "../src/store/result-store.js";
import { findTestSet, loadTestSetFile, loadTestSets } from "../src/testsets/load.js";
import { excerpt, QUERY_EXCERPT_CHARS, recordQuery } from "../src/testtypes/query-detail.js";
import { invalidUtf8Offset } from "../src/text-file.js";
import { makeConfig } from "./support/config.js";
import { writeTree } from "./support/files.js";
import { testSet } from "./support/run-one.js";
import { memoryStore } from "./support/stores.js";

/**
 * The classes of issue 14 at the core's level: nothing hangs on a pipe or on a plugin that
 * never answers, wrong input is refused naming the file and key, bytes are checked, the run's
 * result is one model, stored text is bounded.
 */

const set = (name: string) => `name: ${name}\ndomain: payments\nstage: test\ninstance: alpha\ntestcases:\n  - { object: a, type: dummy_ok }\n`;

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

/** The one paragraph a user sees for the error `work` throws or rejects with. */
async function paragraph(work: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    return (error as ConfigError).toParagraph();
  }
  throw new Error("expected an error");
}

/** A promise that never settles: what a stuck plugin returns. */
const never = <T>() => new Promise<T>(() => undefined);

describe("hangs: nothing but a regular file is opened", () => {
  it("reports a named pipe in the test set folder as a broken test set instead of blocking on it", async () => {
    const config = makeConfig();
    writeTree(config.root, { "testsets/good.yaml": set("Good") });
    mkfifo(join(config.root, "testsets/pipe.yaml"));
    const { testSets, errors } = await loadTestSets(config);
    expect(testSets.map((s) => s.name)).toEqual(["Good"]);
    expect(errors[0]!.toParagraph()).toMatch(/testsets\/pipe.yaml.*named pipe \(FIFO\)/);
  });

  it("refuses a named pipe given as the test set, by path", async () => {
    const config = makeConfig();
    mkdirSync(join(config.root, "testsets"));
    mkfifo(join(config.root, "testsets/given.yaml"));
    await expect(findTestSet(config, "testsets/given.yaml")).rejects.toMatchObject({ code: "TESTSET_INVALID", message: expect.stringMatching(/named pipe/) as string });
    await expect(loadTestSetFile(config, "testsets/given.yaml")).rejects.toThrow(/named pipe/);
  });

  it("marks a named pipe, a folder-like entry or a dangling link among the specs as a broken spec", async () => {
    const config = makeConfig();
    const folder = config.domains.payments!.specs.test!;
    writeTree(folder, { "ok.rowcount.sql": "SELECT 1" });
    mkfifo(join(folder, "pipe.rowcount.sql"));
    symlinkSync(join(folder, "missing.sql"), join(folder, "dangling.rowcount.sql"));
    symlinkSync(join(folder, "ok.rowcount.sql"), join(folder, "linked.rowcount.sql"));
    const specs = await discoverSpecs(config, "payments", "test");
    const byObject = Object.fromEntries(specs.map((s) => [s.object, s.error]));
    expect(byObject.ok).toBeNull();
    expect(byObject.linked).toBeNull();
    expect(byObject.pipe).toMatch(/pipe.rowcount.sql: the spec cannot be read: it is a named pipe \(FIFO\)/);
    expect(byObject.dangling).toMatch(/symbolic link to nothing/);
  });
});

describe("the wrong config is never used silently", () => {
  const project = () => {
    const parent = mkdtempSync(join(tmpdir(), "assay-hard-"));
    writeFileSync(join(parent, "assay.config.yaml"), "storage: file:parent-store\n");
    const child = join(parent, "child");
    mkdirSync(child);
    return { parent, child };
  };

  it.each([
    ["a dangling symbolic link", (f: string) => symlinkSync(`${f}.gone`, f), /symbolic link to nothing/],
    ["a symbolic link loop", (f: string) => symlinkSync(f, f), /loops/],
    ["a folder", (f: string) => mkdirSync(f), /it is a folder/],
    ["a named pipe", (f: string) => mkfifo(f), /named pipe/],
  ])("refuses an assay.config.yaml that is %s, instead of the parent folder's", async (_what, make, why) => {
    const { child } = project();
    make(join(child, "assay.config.yaml"));
    const error = await loadConfig({ cwd: child }).then(() => null, (e: unknown) => e as ConfigError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.toParagraph()).toMatch(why);
    expect(error!.where?.file).toBe("assay.config.yaml");
    // The same through --config.
    await expect(loadConfig({ cwd: child, configPath: "assay.config.yaml" })).rejects.toThrow(why);
  });

  it("refuses non-UTF-8 bytes in the config and in a test set, naming the file and the byte offset", async () => {
    const { child } = project();
    writeFileSync(join(child, "assay.config.yaml"), Buffer.concat([Buffer.from("storage: file:.assay"), Buffer.from([0xe9]), Buffer.from("\n")]));
    await expect(loadConfig({ cwd: child })).rejects.toMatchObject({ where: { file: "assay.config.yaml", line: 1 }, message: expect.stringContaining("byte 0xE9 at byte offset 20") as string });

    const config = makeConfig();
    writeTree(config.root, { "testsets/latin1.yaml": Buffer.concat([Buffer.from(set("Caf")), Buffer.from([0xe9, 0x0a])]) });
    expect(await paragraph(loadTestSetFile(config, "testsets/latin1.yaml"))).toMatch(/^testsets\/latin1.yaml:7: The file is not valid UTF-8: byte 0xE9 at byte offset \d+/);
  });

  it("finds the first invalid UTF-8 byte, and accepts valid text", () => {
    expect(invalidUtf8Offset(Buffer.from("héllo ✓ 𝄞"))).toBe(-1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc3]))).toBe(1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2);
    expect(invalidUtf8Offset(Buffer.from([0xc0, 0x80]))).toBe(0);
  });

  it("names the file for a YAML alias bomb instead of an internal error", async () => {
    const { child } = project();
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ..."bcdefgh".split("").map((n, i) => `${n}: &${n} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)].join("\n");
    writeFileSync(join(child, "assay.config.yaml"), `${bomb}\n`);
    await expect(loadConfig({ cwd: child })).rejects.toMatchObject({ code: "CONFIG_SYNTAX", where: { file: "assay.config.yaml" }, message: expect.stringMatching(/aliases/) as string });
  });

  it("names the config's testsets: key when it points at a file", async () => {
    const config = { ...makeConfig(), testsets: "notes.txt" };
    writeTree(config.root, { "notes.txt": "hi" });
    await expect(loadTestSets(config)).rejects.toMatchObject({ code: "CONFIG_INVALID", where: { key: "testsets" }, message: expect.stringMatching(/not a folder/) as string });
  });
});

describe("test sets that would lose or hide results", () => {
  it("refuses two test cases whose stored identifiers collide, naming both lines", async () => {
    const config = makeConfig();
    writeTree(config.root, {
      "testsets/clash.yaml": "name: Clash\ndomain: payments\nstage: test\ninstance: alpha\ntestcases:\n  - { object: x_SCHEMA, type: rowcount }\n  - { object: x, type: schema, scenario: ROWCOUNT }\n",
    });
    expect(await paragraph(loadTestSetFile(config, "testsets/clash.yaml"))).toMatch(/^testsets\/clash.yaml:7.*identifier x_SCHEMA_ROWCOUNT.*line 6/);
  });

  it("runs neither of two test sets with one name, and says which files", async () => {
    const config = makeConfig();
    writeTree(config.root, { "testsets/one.yaml": set("Same"), "testsets/two.yaml": set("same") });
    await expect(findTestSet(config, "Same")).rejects.toThrow('2 test set files are named "Same": testsets/one.yaml, testsets/two.yaml');
  });

  it("shows a broken test set's own error when it is run by the name it declares", async () => {
    const config = makeConfig();
    writeTree(config.root, { "testsets/broken.yaml": "name: Nightly\ndomain: payments\nstage: test\ninstance: alpha\ntestcases:\n  - { object: a, type: nonsense }\n" });
    expect(await paragraph(findTestSet(config, "Nightly"))).toMatch(/^testsets\/broken.yaml:6.*Unknown test type "nonsense"/);
  });

  it("finds a test set by a path relative to the working folder", async () => {
    const config = makeConfig();
    writeTree(config.root, { "testsets/sub/here.yaml": set("Here") });
    const found = await findTestSet(config, "here.yaml", undefined, join(config.root, "testsets/sub"));
    expect(found.name).toBe("Here");
  });
});

describe("SQL specs", () => {
  it("names the spec, says there are several statements and which kind is refused", async () => {
    const origin = { object: "t", scenario: null, path: "specs/t.rowcount.sql" };
    expect(await paragraph(() => parseSqlSpec("rowcount", Buffer.from("SELECT 1;\nDELETE FROM t"), origin))).toMatch(
      /specs\/t.rowcount.sql:2: The SQL file holds 2 statements \(SELECT, then DELETE\); the DELETE statement is not a query/,
    );
    // A semicolon in a literal or a trailing one is not a second statement.
    expect(parseSqlSpec("rowcount", Buffer.from("SELECT ';' AS x;\n-- done;\n"), origin).sql).toBe("SELECT ';' AS x;\n-- done");
  });

  it("keeps a hash and a bounded excerpt of a large query, never the whole text", () => {
    const sql = `SELECT 1 -- ${"x".repeat(5_000_000)}`;
    const details: Array<[string, unknown]> = [];
    recordQuery({ detail: (name, value) => details.push([name, value]) }, { type: "rowcount", object: "t", scenario: null, path: "specs/t.rowcount.sql", error: null, sql });
    const query = details.find(([n]) => n === "Query")![1] as string;
    expect(query.length).toBeLessThan(QUERY_EXCERPT_CHARS + 200);
    expect(query).toContain("the whole text is in specs/t.rowcount.sql");
    expect(details.find(([n]) => n === "Query SHA-256")![1]).toMatch(/^[0-9a-f]{64}$/);
    expect(excerpt("short", 10, "f")).toBe("short");
  });

  it("stores a result of bounded size whatever a test type records", async () => {
    const { config, store } = { config: makeConfig(), ...memoryStore() };
    const types = (await import("../src/testtypes/builtin.js")).builtinTestTypes().register({
      name: "BIG", requiredSpecs: [], optionalSpecs: [], preconditions: [],
      async execute(ctx) {
        ctx.detail("Huge", "y".repeat(3_000_000));
        ctx.conclude("OK", "z".repeat(3_000_000));
      },
    });
    const { results } = await runTestSet({ config, store, notifiers: [], specs: [], testTypes: types, testSet: testSet([{ object: "a", type: "big" }]), backend: async () => new DummyBackend() });
    expect(JSON.stringify(results[0]).length).toBeLessThan(40_000);
  });
});

describe("secrets", () => {
  it("masks a short secret only as a whole value, a long one everywhere", () => {
    const redactor = new Redactor(["x", "s3cr3t-value"]);
    expect(redactor.redact("Expected x_SCHEMA, got x")).toBe("Expected x_SCHEMA, got ***");
    expect(redactor.redact("token=x&y")).toBe("token=***&y");
    expect(redactor.redact("abcs3cr3t-valuedef")).toBe("abc***def");
  });
});

describe("plugins: names and creation", () => {
  const registry = () =>
    new PluginRegistry().register(
      definePlugin({
        kind: "backend", name: "dummy", apiVersion: 1, optionsSchema: z.object({}).passthrough(),
        create: async () => {
          new URL("::not a url");
          return new DummyBackend();
        },
      }),
    );

  it("suggests the nearest known name, never a package built from the misspelling", () => {
    expect(nearestName("duckbd", ["duckdb", "postgres"])).toBe("duckdb");
    expect(nearestName("zzz", ["duckdb"])).toBeNull();
    const error = (() => {
      try {
        registry().get("backend", "duckbd", { file: "assay.config.yaml", key: "backend.use" });
      } catch (e) {
        return e as ConfigError;
      }
      return null;
    })();
    expect(error!.toParagraph()).toContain('Did you mean "duckdb"? Install it: pnpm add -D @assay/backend-duckdb');
    expect(error!.toParagraph()).not.toContain("backend-duckbd");
  });

  it("reports an exception from create() at the plugin's options key, as an input error", async () => {
    await expect(registry().create("backend", "dummy", {}, { projectRoot: ".", warn: () => undefined }, { file: "assay.config.yaml", key: "domains.sales.backend.use" })).rejects.toMatchObject({
      code: "PLUGIN_OPTIONS_INVALID",
      category: "input",
      where: { key: "domains.sales.backend.options" },
      message: expect.stringMatching(/could not be created from its options: Invalid URL/) as string,
    });
  });
});

describe("plugins that never answer", () => {
  const fast = () => makeConfig({ run: { callTimeoutMs: 200 } });

  it("drops a notifier whose promise never settles, names it, and still finishes the run", async () => {
    const stuck: Notifier = { notify: () => never<void>(), close: async () => undefined };
    const memory = new MemoryNotifier();
    const { config, store } = { config: fast(), ...memoryStore() };
    const { run } = await runTestSet({
      config, store, specs: [], notifiers: [stuck, memory], notifierName: (n) => (n === stuck ? "webhook" : undefined),
      testSet: testSet([{ object: "a", type: "dummy_ok" }]), backend: async () => new DummyBackend(),
    });
    expect(run.result).toBe("OK");
    expect(memory.ofType("warning")[0]!.message).toMatch(/^The notifier "webhook" failed and receives no further events: The notifier "webhook" \(event run.started\) did not answer within 200 ms/);
    expect(memory.ofType("run.finished")).toHaveLength(1);
  });

  it("names a notifier that throws by its class when no name is given", async () => {
    class Webhook implements Notifier {
      notify(): void {
        throw new Error("down");
      }
      async close() {}
    }
    const hub = new NotifierHub([new Webhook()], "r");
    hub.emit({ type: "warning", at: "", runId: "r", testCaseId: null, message: "m" });
    await hub.flush();
    expect(hub.failures).toEqual(["The notifier Webhook failed and receives no further events: down"]);
  });

  it("finishes a run whose storage never answers: each result ERROR naming the storage", async () => {
    const inner = new DictStorage("memory:stuck");
    const storage: Storage = { location: inner.location, read: (k) => inner.read(k), write: () => never<void>(), exists: (k) => inner.exists(k), delete: (k) => inner.delete(k), list: (p) => inner.list(p) };
    const memory = new MemoryNotifier();
    const { run, results } = await runTestSet({
      config: fast(), store: new ResultStore(storage, new JsonFormatter()), specs: [], notifiers: [memory],
      testSet: testSet([{ object: "a", type: "dummy_ok" }]), backend: async () => new DummyBackend(),
    });
    expect(results[0]).toMatchObject({ status: "ERROR", summary: expect.stringContaining("The storage memory:stuck did not answer within 200 ms") as string });
    expect(run).toMatchObject({ status: "ERROR", result: "ERROR" });
  });

  it("finishes a run whose backend never closes, or is never created", async () => {
    const memory = new MemoryNotifier();
    const unclosable = Object.assign(new DummyBackend(), { close: () => never<void>() });
    const closing = await runTestSet({ config: fast(), ...memoryStore(), specs: [], notifiers: [memory], testSet: testSet([{ object: "a", type: "dummy_ok" }]), backend: async () => unclosable });
    expect(closing.run.result).toBe("OK");
    expect(memory.ofType("warning").map((w) => w.message)).toEqual([expect.stringContaining("The backend (closing it) did not answer within 200 ms")]);

    const creating = await runTestSet({ config: fast(), ...memoryStore(), specs: [], notifiers: [], testSet: testSet([{ object: "a", type: "dummy_ok" }]), backend: () => never() });
    expect(creating.run).toMatchObject({ status: "ERROR", result: "ERROR", message: expect.stringContaining("The backend (creating it) did not answer") as string });
  });
});

describe("one result per run", () => {
  const r = (result: "OK" | "NOK" | "N/A", status: "FINISHED" | "ERROR" | "ABORTED" = "FINISHED") => ({ result, status });

  it("is ERROR over NOK over N/A over OK, and gives the exit code", () => {
    const of = (...rs: ReturnType<typeof r>[]) => runResult(countResults(rs.length, rs));
    expect(of(r("OK"), r("NOK"), r("N/A", "ERROR"))).toBe("ERROR");
    expect(of(r("OK"), r("NOK"), r("N/A", "ABORTED"))).toBe("NOK");
    expect(of(r("OK"), r("N/A", "ABORTED"))).toBe("N/A");
    expect(of(r("OK"), r("OK"))).toBe("OK");
    expect(of()).toBe("N/A");
    expect(runResult(countResults(1, [r("OK")]), "ERROR")).toBe("ERROR");
    expect([exitCodeOfResult("OK"), exitCodeOfResult("NOK"), exitCodeOfResult("N/A"), exitCodeOfResult("ERROR")]).toEqual([0, 1, 1, 3]);
  });
});

describe("runs left EXECUTING", () => {
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((resolve) => child.on("exit", resolve));
    return child.pid!;
  }

  it("tells a run whose process is gone from one still running, and counts what was stored", async () => {
    const base = {
      id: "r1", testSet: { name: "S", file: "s.yaml", labels: [] }, domain: "d", stage: "s", instance: "i",
      status: "EXECUTING" as const, result: "N/A" as const, startedAt: new Date().toISOString(), endedAt: null,
      counts: { total: 3, ok: 0, nok: 0, na: 0, error: 0 }, message: null,
      testcases: ["a", "b", "c"].map((o) => ({ id: `${o}_DUMMY_OK`, object: o, type: "DUMMY_OK", scenario: null })),
    };
    const host = (await import("node:os")).hostname();
    const gone = { ...base, process: { pid: await deadPid(), host } };
    expect(runLiveness(gone)).toBe("interrupted");
    expect(runLiveness({ ...base, process: { pid: process.pid, host } })).toBe("running");
    expect(runLiveness({ ...base, status: "FINISHED" })).toBeNull();
    const result = { id: "a_DUMMY_OK", runId: "r1", object: "a", type: "DUMMY_OK", scenario: null, at: { domain: "d", stage: "s", instance: "i" }, result: "OK" as const, status: "FINISHED" as const, summary: "", specs: [], facts: [], details: [], diff: {}, startedAt: "", endedAt: null, durationMs: 1 };
    const settled = settleStoredRun(gone, [result]);
    expect(settled.counts).toEqual({ total: 3, ok: 1, nok: 0, na: 2, error: 0 });
    expect(settled.result).toBe("N/A");
    expect(settled.message).toMatch(/^Interrupted: the process that ran it \(pid \d+\) ended before the run finished; 1 of 3 test cases finished/);
  });
});

describe("test types offered", () => {
  it("lists the dummy_* types only where the dummy backend is in use", async () => {
    const bad = "name: T\ndomain: payments\nstage: test\ninstance: alpha\ntestcases:\n  - { object: a, type: shema }\n";
    const dummy = makeConfig();
    writeTree(dummy.root, { "testsets/t.yaml": bad });
    expect(await paragraph(loadTestSetFile(dummy, "testsets/t.yaml"))).toContain("dummy_ok");
    const real = makeConfig({ domain: { backend: { use: "duckdb", options: {} } } });
    writeTree(real.root, { "testsets/t.yaml": bad });
    const text = await paragraph(loadTestSetFile(real, "testsets/t.yaml"));
    expect(text).toContain("one of: schema, rowcount, compare, stagecount");
    expect(text).not.toContain("dummy");
  });
});

describe("a damaged store", () => {
  it("names the damaged file's path", async () => {
    const { config, store, storage } = { config: makeConfig(), ...memoryStore() };
    const { run } = await runTestSet({ config, store, notifiers: [], specs: [], testSet: testSet([{ object: "a", type: "dummy_ok" }]), backend: async () => new DummyBackend() });
    const [key] = await storage.list(`results/${run.id}/`);
    await storage.write(key!, new TextEncoder().encode('{"id": "trunc'));
    const text = await paragraph(store.getRun(run.id));
    expect(text).toContain(`memory:test ${key}`);
    expect(text).toMatch(/cannot be read as json/);
  });
});

describe("bounded storage", () => {
  it("names a storage that never answers, for every call", async () => {
    const inner = new DictStorage("memory:slow");
    const stuck: Storage = { location: inner.location, read: () => never(), write: () => never(), exists: () => never(), delete: () => never(), list: () => never() };
    const { boundedStorage } = await import("../src/runner/deadline.js");
    const bounded = boundedStorage(stuck, 100);
    expect(bounded.location).toBe("memory:slow");
    for (const call of [() => bounded.read("k"), () => bounded.write("k", new Uint8Array()), () => bounded.exists("k"), () => bounded.delete("k"), () => bounded.list("")]) {
      await expect(call()).rejects.toMatchObject({ code: "PLUGIN_TIMEOUT", message: "The storage memory:slow did not answer within 100 ms" });
    }
  });
});
