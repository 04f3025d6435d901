import { describe, expect, it } from "vitest";
import { BackendError, type Row } from "@assay/ports";
import { DummyBackend, DUMMY_TABLE } from "@assay/backend-dummy";
import { col, FakeBackend } from "./support/fake-backend.js";
import { runOne } from "./support/run-one.js";

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
      expect(nok).toMatchObject({ result: "NOK", summary: "2 of 3 rows differ: 1 missing, 1 extra; 1 duplicate key in actual." });
      expect(nok.facts).toContainEqual({ name: "Method", value: caps.compare === false ? "merge of key-ordered scans" : "in-engine compare" });
      expect(nok.facts).toContainEqual({ name: "Duplicate keys in actual", value: 1 });
      expect((nok.diff.compare_diff as { kind: string }[]).map((d) => d.kind)).toEqual(["duplicate", "missing", "extra"]);
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
    expect(nok).toMatchObject({ result: "NOK", summary: "1 of 2 rows differ: 1 mismatched (v 1)." });
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
  const stage = (files: { path: string; rows: number }[]) =>
    new FakeBackend()
      .table("stage_accounts", { columns: [col("id", "int")], rows: [{ id: 1 }], latestLoad: { loadedAt: "2026-01-01T00:00:00Z", files } })
      .table("raw_accounts", { columns: [], rows: [], kind: "files" });
  const sc = { object: "stage_accounts", type: "stagecount" };

  it("is OK when every file of the latest load matches, over several files", async () => {
    const b = stage([{ path: "raw/a.csv", rows: 10 }, { path: "raw/b.csv", rows: 5 }]);
    b.rawFiles.set("raw/a.csv", 10).set("raw/b.csv", 5);
    const { result } = await runOne(b, sc, { "stage_accounts.stagecount.yaml": "headerLines: 1\nencoding: latin-1\n" });
    expect(result).toMatchObject({ result: "OK", summary: "Stage rows (15) match the raw files (15) of the latest load (2 files)." });
    expect(result.details).toContainEqual({ name: "Encoding", value: "latin-1" });
    expect(result.facts).toContainEqual({ name: "Files in latest load", value: 2 });
  });

  it("is NOK when any file differs, even if the totals agree", async () => {
    const b = stage([{ path: "raw/a.csv", rows: 10 }, { path: "raw/b.csv", rows: 5 }, { path: "raw/c.csv", rows: 1 }]);
    b.rawFiles.set("raw/a.csv", 11).set("raw/b.csv", 4);
    const { result } = await runOne(b, sc);
    expect(result).toMatchObject({ result: "NOK", summary: "Stage rows (16) differ from the raw files (15) of the latest load: 3 of 3 files differ (1 not counted by the backend)." });
    expect(result.diff.stagecount_diff).toEqual([
      { path: "raw/a.csv", stage_rows: 10, raw_rows: 11, difference: -1 },
      { path: "raw/b.csv", stage_rows: 5, raw_rows: 4, difference: 1 },
      { path: "raw/c.csv", stage_rows: 1, raw_rows: null, difference: null },
    ]);
  });

  it("is N/A without the rawFiles capability, a raw object or a load", async () => {
    expect((await runOne(stage([]).table("x", { columns: [], rows: [] }), sc)).result.summary).toMatch(/has no load with a source file/);
    const noCap = stage([]);
    noCap.capabilities = { ...noCap.capabilities, latestLoad: false };
    expect((await runOne(noCap, sc)).result.summary).toMatch(/lacks the capability latestLoad/);
    const noRaw = new FakeBackend().table("core_x", { columns: [], rows: [{}] });
    expect((await runOne(noRaw, { object: "core_x", type: "stagecount" })).result.summary).toMatch(/maps core_x to no raw-file object/);
    expect((await runOne(new DummyBackend(), { object: DUMMY_TABLE, type: "stagecount" })).result.summary).toMatch(/lacks the capability latestLoad/);
  });

  it("is ERROR when counting fails", async () => {
    const b = stage([{ path: "raw/a.csv", rows: 1 }]);
    b.failures.set("countRawFileRows", new BackendError("BACKEND_QUERY", "file vanished"));
    expect((await runOne(b, sc)).result).toMatchObject({ status: "ERROR", summary: expect.stringContaining("file vanished") as string });
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
