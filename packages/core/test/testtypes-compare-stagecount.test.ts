import { mkdtempSync, readFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BackendError, type Row } from "@assay/ports";
import { DummyBackend, DUMMY_TABLE } from "@assay/backend-dummy";
import { col, FakeBackend } from "./support/fake-backend.js";
import { writeTree } from "./support/files.js";
import { runOne } from "./support/run-one.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "rawfiles");

const SQL = "SELECT id, amount, name FROM source";
const columns = [col("id", "int"), col("amount", "decimal(12,2)"), col("name", "string")];
const schema = "columns:\n  - { name: id, pk: true }\n  - { name: amount }\n  - { name: name }\n";
const files = { "core_pay.compare.sql": SQL, "core_pay.schema.yaml": schema };
const cmp = { object: "core_pay", type: "compare" };

function backend(expected: Row[], actual: Row[], caps: Partial<FakeBackend["capabilities"]> = {}): FakeBackend {
  return new FakeBackend(caps).table("core_pay", { columns, rows: actual, primaryKeys: ["id"] }).answer(SQL, columns, expected);
}
const rows: Row[] = [{ id: 1, amount: "10.00", name: "a" }, { id: 2, amount: "20.00", name: "b" }, { id: 3, amount: "30.00", name: "c" }];

describe("COMPARE", () => {
  for (const [label, caps] of [["in engine", {}], ["by merge", { compare: false }]] as const) {
    it(`${label}: OK when every row matches, NOK with counts otherwise`, async () => {
      const ok = await runOne(backend(rows, rows, caps), cmp, files);
      expect(ok.result).toMatchObject({ result: "OK", status: "FINISHED", summary: "All 3 rows match." });
      const actual = [{ id: 1, amount: "10.00", name: "a" }, { id: 2, amount: "20.01", name: "b" }, { id: 2, amount: "20.01", name: "b" }, { id: 4, amount: "1", name: "x" }];
      const nok = (await runOne(backend(rows, actual, caps), cmp, files)).result;
      expect(nok).toMatchObject({ result: "NOK", summary: "2 rows differ (3 expected, 4 actual): 1 missing, 1 extra; 1 duplicate key in actual." });
      expect(nok.facts).toContainEqual({ name: "Method", value: caps.compare === false ? "merge of key-ordered scans" : "in-engine compare" });
      expect(nok.facts).toContainEqual({ name: "Duplicate keys in actual", value: 1 });
      expect((nok.diff.compare_diff as { kind: string }[]).map((d) => d.kind)).toEqual(["duplicate", "missing", "extra"]);
    });
  }

  for (const [label, caps] of [["in engine", {}], ["by merge", { compare: false }]] as const) {
    it(`${label}: an empty object is compared, not N/A: OK against an empty query, NOK with every expected row missing`, async () => {
      const empty = (await runOne(backend([], [], caps), cmp, files)).result;
      expect(empty).toMatchObject({ result: "OK", status: "FINISHED", summary: "Both sides are empty: nothing to compare." });
      expect(empty.facts).toContainEqual({ name: "Expected rows", value: 0 });
      const missing = (await runOne(backend(rows, [], caps), cmp, files)).result;
      expect(missing).toMatchObject({ result: "NOK", summary: "3 rows differ (3 expected, 0 actual): 3 missing." });
      expect((missing.diff.compare_diff as { kind: string; key: Row }[]).map((d) => [d.kind, d.key.id])).toEqual([["missing", 1], ["missing", 2], ["missing", 3]]);
    });
  }

  it("applies the domain's tolerance: float rounding within it is OK, beyond it NOK", async () => {
    const fColumns = [col("id", "int"), col("v", "double")];
    const make = () =>
      new FakeBackend({ compare: false })
        .table("core_pay", { columns: fColumns, rows: [{ id: 1, v: 0.3 }, { id: 2, v: 100.004 }] })
        .answer("SELECT id, v FROM s", fColumns, [{ id: 1, v: 0.1 + 0.2 }, { id: 2, v: 100 }]);
    const f = { "core_pay.compare.sql": "SELECT id, v FROM s", "core_pay.schema.yaml": "columns:\n  - { name: id, pk: true }\n" };
    const within = { compare: { tolerance: { default: 1e-9, columns: { v: 0.005 } }, maxDiffRows: 10 } };
    expect((await runOne(make(), cmp, f, { domain: within })).result.result).toBe("OK");
    const beyond = { compare: { tolerance: { default: 0.005, columns: { v: 0.001 } }, maxDiffRows: 10 } };
    const nok = (await runOne(make(), cmp, f, { domain: beyond })).result;
    expect(nok).toMatchObject({ result: "NOK", summary: "1 row differs (2 expected, 2 actual): 1 mismatched (v 1)." });
    expect(nok.facts).toContainEqual({ name: "Mismatches in v", value: 1 });
  });

  it("is N/A when keys are not specified, missing in the query, or columns missing in the object", async () => {
    const noPk = await runOne(backend(rows, rows), cmp, { ...files, "core_pay.schema.yaml": "columns:\n  - { name: id }\n" });
    expect(noPk.result.summary).toMatch(/names no primary keys/);
    const wrongKey = await runOne(backend(rows, rows), cmp, { ...files, "core_pay.schema.yaml": "columns:\n  - { name: account, pk: true }\n" });
    expect(wrongKey.result).toMatchObject({ result: "N/A", summary: expect.stringContaining("lacks the primary key column account (it returns id, amount, name)") as string });
    const narrow = backend(rows, rows);
    narrow.tables.get("core_pay")!.columns = [col("ID", "int"), col("amount", "decimal(12,2)")];
    expect((await runOne(narrow, cmp, files)).result.summary).toBe("Test object core_pay lacks column the compare query returns: name.");
  });

  it("matches object columns case-insensitively in the merge", async () => {
    const upper = [col("ID", "int"), col("AMOUNT", "decimal(12,2)"), col("NAME", "string")];
    const b = new FakeBackend({ compare: false })
      .table("core_pay", { columns: upper, rows: rows.map((r) => ({ ID: r.id!, AMOUNT: r.amount!, NAME: r.name! })) })
      .answer(SQL, columns, rows);
    expect((await runOne(b, cmp, files)).result.summary).toBe("All 3 rows match.");
  });

  it("is N/A without compare or orderedScan, and with sampling but no sampledCompare nor scan", async () => {
    expect((await runOne(backend(rows, rows, { compare: false, orderedScan: false }), cmp, files)).result.summary).toMatch(/lacks the capability compare or orderedScan/);
    const sample = { compare: { tolerance: { default: 0, columns: {} }, maxDiffRows: 10, sample: { percent: 50, seed: "x" } } };
    const r = await runOne(backend(rows, rows, { sampledCompare: false, orderedScan: false }), cmp, files, { domain: sample });
    expect(r.result.summary).toMatch(/compare with sampledCompare, or orderedScan/);
    const merged = await runOne(backend(rows, rows, { sampledCompare: false }), cmp, files, { domain: sample });
    expect(merged.result.facts).toContainEqual({ name: "Method", value: "merge of key-ordered scans" });
    expect(merged.result.facts).toContainEqual({ name: "Sample", value: "50% of keys (seed x)" });
  });

  it("is ERROR when the scan is not ordered or the engine fails", async () => {
    const unordered = backend([...rows].reverse(), rows, { compare: false });
    unordered.unorderedScan = true;
    const r = (await runOne(unordered, cmp, files)).result;
    expect(r).toMatchObject({ status: "ERROR" });
    expect(r.summary).toMatch(/expected rows are not ordered by the key/);
    const failing = backend(rows, rows);
    failing.failures.set("compare", new BackendError("BACKEND_QUERY", "out of memory"));
    expect((await runOne(failing, cmp, files)).result.summary).toContain("out of memory");
  });

  it("runs against backend-dummy through the merge", async () => {
    const spec = { [`${DUMMY_TABLE}.compare.sql`]: `SELECT * FROM ${DUMMY_TABLE}`, [`${DUMMY_TABLE}.schema.csv`]: "column,type,pk\nid,int,x\n" };
    const { result } = await runOne(new DummyBackend(), { object: DUMMY_TABLE, type: "compare" }, spec);
    expect(result).toMatchObject({ result: "OK", summary: "All 4 rows match." });
  });
});

describe("STAGECOUNT", () => {
  const loadColumns = [col("id", "int"), col("m__ts", "timestamp"), col("m__source_file_path", "string")];
  const stage = (files: { path: string; rows: number }[], columns = loadColumns) =>
    new FakeBackend().table("stage_accounts", { columns, rows: [{ id: 1 }], latestLoad: { loadedAt: "2026-01-01T00:00:00Z", files } });
  const sc = { object: "stage_accounts", type: "stagecount" };
  /** A project whose raw folder for stage_accounts holds these files. */
  const project = (files: Record<string, string | Uint8Array>) => {
    const root = mkdtempSync(join(tmpdir(), "assay-stagecount-"));
    writeTree(join(root, "raw/payments/test/alpha/accounts"), files);
    return root;
  };
  const records = (n: number) => `id,note\n${Array.from({ length: n }, (_, i) => `${i},"line\nbreak"`).join("\n")}\n`;

  it("is OK when every file of the latest load matches, over several files", async () => {
    const root = project({ "a.csv": records(10), "b.csv": Buffer.from(`x,y\n${"é,1\n".repeat(5)}`, "latin1") });
    const b = stage([{ path: "accounts/a.csv", rows: 10 }, { path: "b.csv", rows: 5 }]);
    const { result } = await runOne(b, sc, { "stage_accounts.stagecount.yaml": "headerLines: 1\nencoding: latin-1\n" }, { root });
    expect(result).toMatchObject({ result: "OK", summary: "Stage rows (15) match the raw files (15) of the latest load (2 files)." });
    expect(result.details).toContainEqual({ name: "Encoding", value: "latin-1" });
    expect(result.facts).toContainEqual({ name: "Files in latest load", value: 2 });
    expect(result.facts).toContainEqual({ name: "Raw object", value: "raw_accounts" });
  });

  it("counts CSV and Parquet files of one load by the same rules, header inferred", async () => {
    const root = project({ "a.csv": records(3), "2024/b.parquet": readFileSync(join(fixtures, "five.parquet")) });
    const b = stage([{ path: pathToFileURL(join(root, "raw/payments/test/alpha/accounts/a.csv")).href, rows: 3 }, { path: "2024/b.parquet", rows: 5 }]);
    const { result } = await runOne(b, sc, {}, { root });
    expect(result).toMatchObject({ result: "OK", summary: "Stage rows (8) match the raw files (8) of the latest load (2 files)." });
    expect(result.details).toContainEqual({ name: "Header lines", value: "by the header rule (first record all text: header)" });
  });

  it("is NOK when any file differs, even if the totals agree", async () => {
    const root = project({ "a.csv": records(11), "b.csv": records(4) });
    const b = stage([{ path: "a.csv", rows: 10 }, { path: "b.csv", rows: 5 }, { path: "c.csv", rows: 1 }]);
    const { result } = await runOne(b, sc, {}, { root });
    expect(result).toMatchObject({ result: "NOK", summary: "Stage rows (16) differ from the raw files (15) of the latest load: 3 of 3 files differ (1 not found in the raw folder)." });
    expect(result.diff.stagecount_diff).toEqual([
      { path: "a.csv", stage_rows: 10, raw_rows: 11, difference: -1 },
      { path: "b.csv", stage_rows: 5, raw_rows: 4, difference: 1 },
      { path: "c.csv", stage_rows: 1, raw_rows: null, difference: null },
    ]);
  });

  it("counts the files the newest load names, whichever file of the folder is newest (that one is counted early, as a guess)", async () => {
    const root = project({ "old.csv": records(10), "new.csv": records(3) });
    const folder = join(root, "raw/payments/test/alpha/accounts");
    utimesSync(join(folder, "old.csv"), new Date("2024-01-01"), new Date("2024-01-01"));
    utimesSync(join(folder, "new.csv"), new Date("2025-01-01"), new Date("2025-01-01"));
    // The guess is new.csv: right for the second load, wrong (abandoned) for the first.
    expect((await runOne(stage([{ path: "old.csv", rows: 10 }]), sc, {}, { root })).result).toMatchObject({ result: "OK", summary: "Stage rows (10) match the raw files (10) of the latest load (1 file)." });
    expect((await runOne(stage([{ path: "new.csv", rows: 4 }]), sc, {}, { root })).result).toMatchObject({ result: "NOK", summary: expect.stringContaining("raw files (3)") as string });
    // A newest file that cannot be counted (malformed) costs nothing: the named file is counted as always.
    writeTree(join(folder, "sub"), { "newer.csv": 'id\n"open\n' });
    expect((await runOne(stage([{ path: "old.csv", rows: 10 }]), sc, {}, { root })).result).toMatchObject({ result: "OK" });
    // And a named file whose early count failed is counted again, failing with its own error.
    expect((await runOne(stage([{ path: "sub/newer.csv", rows: 1 }]), sc, {}, { root })).result).toMatchObject({ status: "ERROR", summary: expect.stringContaining("ends inside a quoted field") as string });
  });

  it("is N/A without the rawFiles capability, a raw folder, a load, or a load column", async () => {
    const root = project({ "a.csv": records(1) });
    expect((await runOne(stage([]), sc, {}, { root })).result.summary).toMatch(/has no load with a source file/);
    const noCap = stage([]);
    noCap.capabilities = { ...noCap.capabilities, latestLoad: false };
    expect((await runOne(noCap, sc, {}, { root })).result.summary).toMatch(/lacks the capability latestLoad/);
    const noRaw = new FakeBackend().table("core_x", { columns: [], rows: [{}] });
    expect((await runOne(noRaw, { object: "core_x", type: "stagecount" }, {}, { root })).result.summary).toMatch(
      /maps core_x to no raw folder: its name does not start with the stage prefix "stage_" \(rawFiles.stagePrefix/,
    );
    expect((await runOne(new DummyBackend(), { object: DUMMY_TABLE, type: "stagecount" })).result.summary).toMatch(/lacks the capability latestLoad/);
    const noFolder = (await runOne(stage([{ path: "a.csv", rows: 1 }]), sc)).result;
    expect(noFolder).toMatchObject({ result: "N/A", summary: expect.stringMatching(/raw folder of stage_accounts does not exist: .*accounts \(raw root from rawFiles.root/) as string });
    const noTs = (await runOne(stage([{ path: "a.csv", rows: 1 }], [col("id", "int"), col("m__source_file_path", "string")]), sc, {}, { root })).result;
    expect(noTs).toMatchObject({ result: "N/A", status: "ABORTED" });
    expect(noTs.summary).toBe(
      "stage_accounts has no column m__ts (the load timestamp), which STAGECOUNT reads to find the newest load and its files. " +
        "Name the column that holds it in rawFiles.loadColumns.timestamp (or domains.payments.rawFiles.loadColumns.timestamp) in assay.config.yaml.",
    );
    const noFile = (await runOne(stage([{ path: "a.csv", rows: 1 }], [col("m__ts", "timestamp")]), sc, {}, { root })).result;
    expect(noFile.summary).toMatch(/has no column m__source_file_path \(the raw file path\).*rawFiles.loadColumns.file/);
  });

  it("reads the load columns, folder and prefixes the config names, per domain", async () => {
    const root = mkdtempSync(join(tmpdir(), "assay-stagecount-"));
    writeTree(join(root, "landing/alpha/accounts"), { "a.csv": records(2) });
    const b = new FakeBackend().table("stg_accounts", {
      columns: [col("LOADED_AT", "timestamp"), col("src", "string")],
      rows: [{}],
      latestLoad: { loadedAt: null, files: [{ path: "a.csv", rows: 2 }] },
    });
    const asked: unknown[] = [];
    const latestLoad = b.latestLoad.bind(b);
    b.latestLoad = (object, columns, options) => {
      asked.push(columns);
      return latestLoad(object, columns, options);
    };
    const domain = { rawFiles: { root: "landing/{instance}", stagePrefix: "stg_", loadColumns: { timestamp: "loaded_at", file: "src" } } };
    const { result } = await runOne(b, { object: "stg_accounts", type: "stagecount" }, {}, { root, domain });
    expect(result).toMatchObject({ result: "OK", summary: "Stage rows (2) match the raw files (2) of the latest load (1 file)." });
    expect(result.facts).toContainEqual({ name: "Raw object", value: "raw_accounts" });
    expect(asked).toEqual([{ timestamp: "LOADED_AT", file: "src" }]);
  });

  it("is ERROR when a file is refused or malformed", async () => {
    const root = project({ "a.csv": 'id\n"open\n' });
    const outside = (await runOne(stage([{ path: "../elsewhere.csv", rows: 1 }]), sc, {}, { root })).result;
    expect(outside).toMatchObject({ status: "ERROR", summary: expect.stringContaining("lies outside the raw folder") as string });
    const broken = (await runOne(stage([{ path: "a.csv", rows: 1 }]), sc, {}, { root })).result;
    expect(broken).toMatchObject({ status: "ERROR", summary: expect.stringContaining("ends inside a quoted field") as string });
  });

  it("is ERROR when finding the load fails", async () => {
    const root = project({ "a.csv": records(1) });
    const b = stage([{ path: "a.csv", rows: 1 }]);
    b.failures.set("latestLoad", new BackendError("BACKEND_QUERY", "connection lost"));
    expect((await runOne(b, sc, {}, { root })).result).toMatchObject({ status: "ERROR", summary: expect.stringContaining("connection lost") as string });
  });
});

describe("DUMMY types", () => {
  it("give OK, NOK and ERROR", async () => {
    const b = new DummyBackend();
    expect((await runOne(b, { object: "x", type: "dummy_ok" })).result).toMatchObject({ result: "OK", status: "FINISHED" });
    expect((await runOne(new DummyBackend(), { object: "x", type: "DUMMY_NOK" })).result).toMatchObject({ result: "NOK", status: "FINISHED" });
    const e = (await runOne(new DummyBackend(), { object: "x", type: "dummy_exception" })).result;
    expect(e).toMatchObject({ result: "N/A", status: "ERROR", summary: "Technical error: DUMMY_EXCEPTION always fails." });
    expect(e.details).toContainEqual({ name: "detail_1_key", value: "detail 1" });
  });
});
