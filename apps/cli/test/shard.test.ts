import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneParagraph, runCli, scratchProjects, type StoredRun } from "./helpers.js";

/**
 * CI selection, sharding and merge end to end: the built CLI in child processes, the dummy
 * backend with a delay (SCHEMA calls it; DUMMY_* do not), real file storage and blob files.
 */
const CONFIG = ["backend: { use: dummy, options: { delayMs: 15 } }", "storage: file:.assay", "run: { concurrency: 2 }", "domains:", "  shop:", "    stages: { test: [main] }", ""].join("\n");

const testSet = (name: string, labels: string[], cases: Array<[string, string]>) =>
  [`name: ${name}`, "domain: shop", "stage: test", "instance: main", `labels: [${labels.join(", ")}]`, "testcases:", ...cases.map(([object, type]) => `  - { object: ${object}, type: ${type} }`), ""].join("\n");

const cases = (prefix: string, n: number, nokEvery: number): Array<[string, string]> =>
  Array.from({ length: n }, (_, i) => [`${prefix}_${i}`, i % nokEvery === nokEvery - 1 ? "dummy_nok" : "dummy_ok"]);

const FILES = {
  "assay.config.yaml": CONFIG,
  "testsets/orders.yaml": testSet("Orders", ["ci", "nightly"], [...cases("order", 6, 4), ["assay_contract_orders", "schema"]]),
  "testsets/stock.yaml": testSet("Stock", ["ci"], [...cases("stock", 5, 10), ["assay_contract_orders", "rowcount"]]),
  "testsets/refunds.yaml": testSet("Refunds", ["ci"], cases("refund", 4, 2)),
  "testsets/manual.yaml": testSet("Manual", ["manual"], cases("manual", 2, 10)),
  "specs/shop/test/assay_contract_orders.schema.yaml": ["columns:", "  - { name: id, type: int, pk: true }", "  - { name: region, type: string }", '  - { name: amount, type: "decimal(12,2)" }', "  - { name: ordered_on, type: date }", ""].join("\n"),
  "specs/shop/test/assay_contract_orders.rowcount.sql": "SELECT 4\n",
};

const project = scratchProjects();

interface JsonRuns {
  runs: StoredRun[];
}

/** What must be identical between an unsharded run and the merged one: all but ids, times and durations. */
function essence(stored: StoredRun[]) {
  return stored
    .map(({ run, results }) => {
      const { id: _id, startedAt: _s, endedAt: _e, merged: _m, shard: _sh, process: _p, ...rest } = run as StoredRun["run"] & Record<string, unknown>;
      return {
        run: rest,
        results: results.map((r) => {
          const { runId: _r, startedAt: _rs, endedAt: _re, durationMs: _d, details, ...kept } = r as StoredRun["results"][number] & Record<string, unknown>;
          return { ...kept, details: (details as Array<{ name: string }>).filter((d) => !d.name.startsWith("Duration of")) };
        }),
      };
    })
    .sort((a, b) => (a.run.testSet.name < b.run.testSet.name ? -1 : 1));
}

async function show(dir: string, ids: string[]): Promise<StoredRun[]> {
  const shown: StoredRun[] = [];
  for (const id of ids) {
    const result = await runCli(["show", id, "--json"], { cwd: dir });
    expect(result.stderr).toBe("");
    shown.push(JSON.parse(result.stdout) as StoredRun);
  }
  return shown;
}

// Many CLI processes per test on a shared machine: a generous bound that still proves "no hang".
describe("assay run --label/--all", { timeout: 240_000 }, () => {
  it("runs every test set carrying a label, prints a grand total and exits with the worst result", async () => {
    const dir = await project(FILES);
    const result = await runCli(["run", "--label", "nightly", "--label", "manual"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Orders {2}shop\/test\/main/m);
    expect(result.stdout).toMatch(/^Manual {2}shop\/test\/main/m);
    expect(result.stdout).not.toMatch(/^Stock/m);
    expect(result.stdout).toMatch(/Total: 2 test sets, 9 test cases: 8 OK, 1 NOK, 0 N\/A, 0 ERROR \(exit 1\)/);
    expect(result.code).toBe(1);
    const all = await runCli(["run", "--all", "Orders", "--json"], { cwd: dir });
    expect((JSON.parse(all.stdout) as JsonRuns).runs.map((r) => r.run.testSet.name)).toEqual(["Orders", "Manual", "Refunds", "Stock"]);
  });

  it("refuses an empty selection or an unknown label (exit 2, one paragraph)", async () => {
    const dir = await project(FILES);
    const none = await runCli(["run"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(expectOneParagraph(none.stderr)).toMatch(/No test set is selected.*--all.*\[USAGE\]/);
    const unknown = await runCli(["run", "--label", "nigthly"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(expectOneParagraph(unknown.stderr)).toMatch(/No test set carries the label "nigthly".*ci, manual, nightly/);
    await writeFile(path.join(dir, "testsets", "zz-broken.yaml"), "name: Broken\ndomain: shop\n");
    const broken = await runCli(["run", "--label", "ci"], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(expectOneParagraph(broken.stderr)).toMatch(/zz-broken\.yaml.*\[TESTSET_INVALID\]/);
    const bad = await runCli(["run", "--all", "--shard", "4/3"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(expectOneParagraph(bad.stderr)).toMatch(/"4\/3" is not a shard/);
  });
});

describe("assay run --shard and assay merge", { timeout: 240_000 }, () => {
  it("3 shards merged give the same test cases, results, counts and exit code as one unsharded run", async () => {
    const dir = await project(FILES);
    const whole = await runCli(["run", "--label", "ci", "--json"], { cwd: dir });
    expect(whole.code).toBe(1);
    const wholeIds = (JSON.parse(whole.stdout) as JsonRuns).runs.map((r) => r.run.id);
    expect(wholeIds).toHaveLength(3);

    const perShard: string[][] = [];
    for (const i of [1, 2, 3]) {
      const shard = await runCli(["run", "--label", "ci", "--shard", `${i}/3`, "--blob", `artefacts/shard-${i}/blob.json`], { cwd: dir });
      expect([0, 1]).toContain(shard.code);
      // The unsharded run above is the history: every shard plans from its 17 durations.
      expect(shard.stdout).toMatch(new RegExp(`Shard ${i}/3 of selection [0-9a-f]{12}: \\d+ of 17 test cases \\(split by the stored durations of 17 of them\\)`));
      expect(shard.stdout).toContain(`Blob for assay merge: ${path.join("artefacts", `shard-${i}`, "blob.json")}`);
      const blob = JSON.parse(await readFile(path.join(dir, "artefacts", `shard-${i}`, "blob.json"), "utf8")) as { runs: StoredRun[]; shard: unknown };
      expect(blob.shard).toEqual({ index: i, total: 3 });
      perShard.push(blob.runs.flatMap((r) => r.results.map((t) => `${r.run.testSet.name}/${t.object}/${t.type}`)));
    }
    const everything = perShard.flat();
    expect(new Set(everything).size).toBe(everything.length);
    expect(everything).toHaveLength(17);
    expect(perShard.every((s) => s.length > 0)).toBe(true);

    const merged = await runCli(["merge", "artefacts", "--json", "--reporter", "junit=merged.xml"], { cwd: dir });
    expect(merged.stderr).toMatch(/Merged 3 shards into 3 runs/);
    // The merged runs are reported like any run: one JUnit suite per test set, 17 test cases.
    const junit = await readFile(path.join(dir, "merged.xml"), "utf8");
    expect(junit.match(/<testsuite /g)).toHaveLength(3);
    expect(junit.match(/<testcase /g)).toHaveLength(17);
    expect(merged.code).toBe(1);
    const mergedIds = (JSON.parse(merged.stdout) as JsonRuns).runs.map((r) => r.run.id);
    const [before, after] = [await show(dir, wholeIds), await show(dir, mergedIds)];
    expect(essence(after)).toEqual(essence(before));
    expect(after.map((r) => r.run.counts)).toEqual([
      { total: 7, ok: 6, nok: 1, na: 0, error: 0 },
      { total: 4, ok: 2, nok: 2, na: 0, error: 0 },
      { total: 6, ok: 5, nok: 0, na: 1, error: 0 },
    ]);
    const shown = await runCli(["show", "latest"], { cwd: dir });
    expect(shown.stdout).toMatch(/^Stock {2}shop\/test\/main {2}N\/A \(FINISHED/m);
  });

  it("writes the blob to the documented default path, and a shard with nothing to run exits 0", async () => {
    const dir = await project(FILES);
    const shard = await runCli(["run", "Refunds", "--shard", "6/6", "--json"], { cwd: dir });
    expect(JSON.parse(shard.stdout)).toEqual({ runs: [] });
    expect(shard.stderr).toMatch(/Shard 6\/6 of selection [0-9a-f]{12}: 0 of 4 test cases \(no stored durations: split by count\)/);
    expect(shard.code).toBe(0);
    const blobs = await readdir(path.join(dir, ".assay", "blobs"));
    expect(blobs).toEqual([expect.stringMatching(/^[0-9a-f]{12}-6-of-6\.json$/)]);
  });

  it("refuses missing and duplicate shards, other selections and files that are no blobs, naming the files (exit 2)", async () => {
    const dir = await project(FILES);
    for (const i of [1, 2]) await runCli(["run", "Orders", "Stock", "--shard", `${i}/2`, "--blob", `b/${i}.json`], { cwd: dir });
    await runCli(["run", "Orders", "--shard", "2/2", "--blob", "other/2.json"], { cwd: dir });
    const missing = await runCli(["merge", "b/1.json"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(expectOneParagraph(missing.stderr)).toMatch(/Missing shard 2\/2 \(given: 1\/2 b\/1\.json\).*\[SHARDS_MISMATCH\]/);
    const twice = await runCli(["merge", "b", "b/2.json"], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(expectOneParagraph(twice.stderr)).toMatch(/Duplicate shards: shard 2\/2 in b\/2\.json and b\/2\.json/);
    const foreign = await runCli(["merge", "b/1.json", "other/2.json"], { cwd: dir });
    expect(foreign.code).toBe(2);
    expect(expectOneParagraph(foreign.stderr)).toMatch(/different selections .*b\/1\.json.*other\/2\.json/);
    await mkdir(path.join(dir, "junk"));
    await writeFile(path.join(dir, "junk", "x.json"), '{"format": "assay-shard-blob", "version": 1, "shard": ');
    const junk = await runCli(["merge", "junk"], { cwd: dir });
    expect(junk.code).toBe(2);
    expect(expectOneParagraph(junk.stderr)).toMatch(/junk\/x\.json: The shard blob is not JSON.*\[BLOB_INVALID\]/);
    const empty = await runCli(["merge", "specs"], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(expectOneParagraph(empty.stderr)).toMatch(/specs: The folder holds no shard blob/);
    expect(existsSync(path.join(dir, ".assay", "blobs"))).toBe(false);
  });
});
