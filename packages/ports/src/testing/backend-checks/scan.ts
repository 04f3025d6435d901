import { expect } from "vitest";
import { CONTRACT_TABLE, SCAN_KEYS_TABLE, TEXT_KEYS_TABLE } from "../fixture.js";
import { collect, compareCodePoints, expectCode, scan, type BackendCheck } from "./support.js";

const group = "ordered scan";
const textKeys = TEXT_KEYS_TABLE.name;
const scanKeys = SCAN_KEYS_TABLE.name;

/** The fixture's rows sorted as the port orders them, projected on `columns`. */
function sortedIds(compare: (a: (typeof SCAN_KEYS_TABLE.rows)[number], b: (typeof SCAN_KEYS_TABLE.rows)[number]) => number): number[] {
  return [...SCAN_KEYS_TABLE.rows].sort(compare).map((r) => r.id);
}

function byNumber(a: string | null, b: string | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return Number(a) - Number(b);
}

function byBoolean(a: boolean | null, b: boolean | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return Number(a) - Number(b);
}

/** scan(): rows sorted by the keys in the port's binary order, as core's merge needs them. */
export const scanChecks: BackendCheck[] = [
  {
    group,
    name: "scans an object in key order",
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "object", name: CONTRACT_TABLE.name }, orderBy: ["id"] }));
      expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4]);
      expect(rows).toEqual(CONTRACT_TABLE.rows);
    },
  },
  {
    group,
    name: "orders text keys by code point: NULL first, then the empty string, upper case before lower case, accents after z",
    needs: ["fixtures"],
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "object", name: textKeys }, orderBy: ["k"] }));
      const expected = TEXT_KEYS_TABLE.rows.map((r) => r.k).sort(compareCodePoints);
      expect(rows.map((r) => r.k)).toEqual(expected);
    },
  },
  {
    group,
    name: "orders text keys by code point when the source is a query",
    needs: ["fixtures", "sql"],
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "query", sql: `SELECT n, k FROM ${textKeys}` }, orderBy: ["k"], columns: ["k"] }));
      expect(rows).toEqual(TEXT_KEYS_TABLE.rows.map((r) => r.k).sort(compareCodePoints).map((k) => ({ k })));
    },
  },
  {
    group,
    name: "orders integer keys with NULL first",
    needs: ["fixtures", "sql"],
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "query", sql: `SELECT CASE WHEN id = 2 THEN NULL ELSE 10 - id END AS k FROM ${scanKeys}` }, orderBy: ["k"] }));
      expect(rows.map((r) => r.k)).toEqual([null, 2, 3, 4, 5, 6, 7, 9]);
    },
  },
  {
    group,
    name: "orders decimal keys by value, not as text, NULL first",
    needs: ["fixtures"],
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "object", name: scanKeys }, orderBy: ["num", "id"], columns: ["id", "num"] }));
      expect(rows.map((r) => r.id)).toEqual(sortedIds((a, b) => byNumber(a.num, b.num) || a.id - b.id));
      expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => ["id", "num"]));
    },
  },
  {
    group,
    name: "orders boolean keys NULL, false, true",
    needs: ["fixtures"],
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "object", name: scanKeys }, orderBy: ["flag", "id"] }));
      expect(rows.map((r) => r.id)).toEqual(sortedIds((a, b) => byBoolean(a.flag, b.flag) || a.id - b.id));
    },
  },
  {
    group,
    name: "orders composite keys column by column (text by code point, NULLs first in each)",
    needs: ["fixtures"],
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "object", name: scanKeys }, orderBy: ["grp", "num"] }));
      expect(rows.map((r) => r.id)).toEqual(sortedIds((a, b) => compareCodePoints(a.grp, b.grp) || byNumber(a.num, b.num)));
    },
  },
  {
    group,
    name: "returns only the requested columns, in the requested order, with exact values",
    needs: ["fixtures"],
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "object", name: scanKeys }, orderBy: ["id"], columns: ["num", "id"] }));
      expect(rows).toEqual(SCAN_KEYS_TABLE.rows.map((r) => ({ num: r.num, id: r.id })));
      expect(Object.keys(rows[0]!)).toEqual(["num", "id"]);
    },
  },
  {
    group,
    name: "scans a query given with a trailing semicolon and comment",
    needs: ["fixtures", "sql"],
    async run(env) {
      const rows = await collect(scan(env, { source: { kind: "query", sql: `SELECT id, grp FROM ${scanKeys}; -- all of them\n` }, orderBy: ["id"] }));
      expect(rows.map((r) => r.id)).toEqual(SCAN_KEYS_TABLE.rows.map((r) => r.id).sort((a, b) => a - b));
    },
  },
  {
    group,
    name: "refuses to scan an unknown object with BACKEND_OBJECT_NOT_FOUND",
    async run(env) {
      await expectCode(collect(scan(env, { source: { kind: "object", name: "assay_contract_no_such_table" }, orderBy: ["id"] })), "BACKEND_OBJECT_NOT_FOUND", "scan(unknown)");
    },
  },
];
