import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend, CompareResult } from "@assay/ports";
import { NO_SERVER, scratchDatabase, type Scratch } from "./server.js";

// The tuned plan (a LEFT JOIN on the object's key index) and the portable plan (no such index) on the same data must give the same result.
describe.skipIf(NO_SERVER)(`MariaDB COMPARE plans${NO_SERVER ? ` (skipped: ${NO_SERVER})` : ""}`, () => {
  let scratch: Scratch;
  let backend: Backend;
  const shape = "(region INT NOT NULL, id INT NOT NULL, amount DECIMAL(10,2), note VARCHAR(20), seen DATETIME(3))";
  beforeAll(async () => {
    scratch = await scratchDatabase();
    // 300 expected rows; the object misses every 7th, changes amount on every 11th and note on every 13th (NULL on every 26th), and has 40 extra.
    await scratch.exec(`CREATE TABLE expected_plain ${shape}`);
    await scratch.exec(`CREATE TABLE expected_keyed ${shape.replace(/\)$/, ", PRIMARY KEY (region, id))")}`);
    await scratch.exec(`CREATE TABLE actual_keyed ${shape.replace(/\)$/, ", PRIMARY KEY (region, id))")}`);
    await scratch.exec(`CREATE TABLE actual_plain ${shape}`);
    await scratch.exec("INSERT INTO expected_plain SELECT seq % 3, seq, seq * 1.25, concat('n', seq), TIMESTAMP '2024-01-01 00:00:00.125' + INTERVAL seq SECOND FROM seq_1_to_300");
    await scratch.exec("INSERT INTO expected_keyed SELECT * FROM expected_plain");
    await scratch.exec(`INSERT INTO actual_keyed SELECT region, id, IF(id % 11 = 0, amount + 0.01, amount), IF(id % 26 = 0, NULL, IF(id % 13 = 0, upper(note), note)), seen
      FROM expected_plain WHERE id % 7 <> 0 UNION ALL SELECT 1, seq, 1, 'x', NULL FROM seq_1001_to_1040`);
    await scratch.exec("INSERT INTO actual_plain SELECT * FROM actual_keyed");
    // Text keys under the server's case-insensitive, space-padding collation: 'A' and 'b ' are not the expected 'a' and 'b'.
    await scratch.exec("CREATE TABLE words_keyed (k VARCHAR(10) COLLATE utf8mb4_general_ci PRIMARY KEY, v VARCHAR(10))");
    await scratch.exec("INSERT INTO words_keyed VALUES ('A', 'x'), ('b ', 'x'), ('é', 'x'), ('Z', 'X')");
    await scratch.exec("CREATE TABLE words_plain AS SELECT * FROM words_keyed");
    await scratch.exec("CREATE TABLE words_unicode (k VARCHAR(10) COLLATE utf8mb4_unicode_ci, v VARCHAR(10))");
    await scratch.exec("INSERT INTO words_unicode VALUES ('a', 'x'), ('b', 'x'), ('é', 'x'), ('Z', 'x')");
    backend = await scratch.backend();
  });
  afterAll(async () => scratch?.drop());

  const compare = (object: string, expected: string, extra: Record<string, unknown> = {}): Promise<CompareResult> =>
    backend.compare!({ at: scratch.at, object, keys: ["region", "id"], expectedSql: `SELECT * FROM ${expected}`, maxDiffRows: 25, ...extra });

  it("gives every count and the first differing keys in key order, as the portable plan does", async () => {
    const tuned = await compare("actual_keyed", "expected_keyed");
    expect(tuned).toMatchObject({ expectedRows: 300, actualRows: 298, missingRows: 42, extraRows: 40, mismatchedRows: 42, matchedRows: 216, truncated: true });
    expect(tuned.columns).toEqual([{ name: "amount", mismatches: 24 }, { name: "note", mismatches: 20 }, { name: "seen", mismatches: 0 }]);
    expect(tuned.diff.slice(0, 3).map((d) => [d.kind, d.key.region, d.key.id])).toEqual([["missing", 0, 21], ["mismatch", 0, 33], ["mismatch", 0, 39]]);
    expect(tuned.diff[1]).toMatchObject({ expected: { amount: "41.25" }, actual: { amount: "41.26" }, columns: ["amount"] });
    expect(await compare("actual_plain", "expected_keyed")).toEqual(tuned);
  });

  it("finds the extra rows when the expected query has no index on the key (its keys materialised first)", async () => {
    const result = await compare("actual_keyed", "expected_plain", { maxDiffRows: 500 });
    expect(result.diff.filter((d) => d.kind === "extra").map((d) => d.key.id)).toEqual(Array.from({ length: 40 }, (_, i) => 1001 + i));
    expect(result).toEqual(await compare("actual_plain", "expected_plain", { maxDiffRows: 500 }));
  });

  it("matches text keys by code point through a case-insensitive key index, as the portable plan does", async () => {
    const expectedSql = "SELECT 'a' AS k, 'x' AS v UNION ALL SELECT 'b', 'x' UNION ALL SELECT 'é', 'x' UNION ALL SELECT 'Z', 'x'";
    const words = (object: string): Promise<CompareResult> => backend.compare!({ at: scratch.at, object, keys: ["k"], expectedSql, maxDiffRows: 10 });
    const tuned = await words("words_keyed");
    expect(tuned).toMatchObject({ expectedRows: 4, actualRows: 4, matchedRows: 1, missingRows: 2, extraRows: 2, mismatchedRows: 1 });
    expect(tuned.diff.map((d) => [d.kind, d.key.k])).toEqual([["extra", "A"], ["mismatch", "Z"], ["missing", "a"], ["missing", "b"], ["extra", "b "]]);
    expect(await words("words_plain")).toEqual(tuned);
  });

  it("compares text keys of two collations, which cannot meet by `=`, on the portable plan", async () => {
    const result = await backend.compare!({ at: scratch.at, object: "words_keyed", keys: ["k"], expectedSql: "SELECT * FROM words_unicode", maxDiffRows: 10 });
    expect(result.diff.map((d) => [d.kind, d.key.k])).toEqual([["extra", "A"], ["mismatch", "Z"], ["missing", "a"], ["missing", "b"], ["extra", "b "]]);
  });

  it("takes the portable plan when an expected key repeats, and reports it", async () => {
    const result = await backend.compare!({ at: scratch.at, object: "actual_keyed", keys: ["region", "id"], maxDiffRows: 5,
      expectedSql: "SELECT * FROM expected_keyed UNION ALL SELECT * FROM expected_keyed WHERE id = 2" });
    expect(result.duplicateKeys).toEqual({ expected: 1, actual: 0 });
  });

  it("counts a matched table as matched, with no diff rows", async () => {
    const result = await compare("expected_keyed", "expected_plain");
    expect(result).toMatchObject({ expectedRows: 300, actualRows: 300, matchedRows: 300, missingRows: 0, extraRows: 0, mismatchedRows: 0, diff: [], truncated: false });
  });
});
