// The checksum pass's row hash on a real server: equal values (as COMPARE decides equality) hash
// equal whatever their representation; values moved between columns or rows change the checksum.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { castTo, comparisonType, type ComparedColumn } from "@assay/sql";
import { postgresDialect } from "../src/index.js";
import { rowHash } from "../src/row-hash.js";
import { NO_SERVER, PG_URL } from "./server.js";

/** A compared column whose two sides have the same type, meeting as COMPARE resolves it (intervals and JSON as text). */
function same(name: string, type: string, nativeType: string): ComparedColumn {
  const side = { name, type, nativeType };
  return { name, expected: side, actual: side, meet: comparisonType(type, type), tolerance: 0 };
}

/** A column's value as the plan hashes it: cast to the type both sides meet in. */
const valueOf = (c: ComparedColumn): string => castTo(postgresDialect, `v.${c.name}`, c.meet, c.expected.type);

const TYPES: Array<[string, string, string]> = [
  ["int", "int", "integer"], ["numeric", "decimal(12,4)", "numeric(12,4)"], ["float8", "double", "double precision"],
  ["text", "string", "text"], ["character(5)", "string", "character(5)"], ["boolean", "boolean", "boolean"],
  ["date", "date", "date"], ["timestamp", "timestamp", "timestamp without time zone"], ["timestamptz", "timestamptz", "timestamp with time zone"],
  ["uuid", "uuid", "uuid"], ["interval", "interval", "interval"], ["jsonb", "json", "jsonb"],
];

describe.skipIf(NO_SERVER)(`PostgreSQL row hash${NO_SERVER ? ` (skipped: ${NO_SERVER})` : ""}`, () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  /** The row hash of each row of `values` (SQL literals per row, one per column of `columns`, typed by `casts`). */
  async function hashes(columns: ComparedColumn[], casts: string[], rows: string[][]): Promise<string[]> {
    const names = columns.map((c) => c.name);
    const values = rows.map((r) => `(${r.map((v, i) => `${v}::${casts[i]}`).join(", ")})`).join(", ");
    const sql = `SELECT ${rowHash(columns.map(valueOf), columns)}::text AS h FROM (VALUES ${values}) AS v(${names.join(", ")})`;
    return (await client.query<{ h: string }>(sql)).rows.map((r) => r.h);
  }

  it("hashes equal values equally whatever their representation: 1.0 = 1.00, -0 = 0, NaN = NaN, CHAR padding, instants in other zones", async () => {
    const pairs: Array<[string, string, string]> = [
      ["numeric", "1.0", "1.0000"], ["float8", "'-0'", "0"], ["float8", "'NaN'", "'NaN'"], ["numeric", "'NaN'", "'NaN'"],
      ["character(5)", "'ab'", "'ab   '"], ["timestamptz", "'2024-01-01 10:00:00+02'", "'2024-01-01 08:00:00+00'"], ["date", "'infinity'", "'infinity'"],
    ];
    for (const [cast, a, b] of pairs) {
      const type = TYPES.find(([c]) => c === cast)!;
      const [x, y] = await hashes([same("k", "int", "integer"), same("v", type[1], type[2])], ["int", cast], [["1", a], ["1", b]]);
      expect(x, `${cast}: ${a} against ${b}`).toBe(y);
    }
  });

  it("hashes different values, NULLs and values moved between columns differently, for every type", async () => {
    const samples: Record<string, [string, string]> = {
      int: ["1", "2"], "numeric": ["1.5", "1.25"], float8: ["0.1", "0.2"], text: ["'a'", "'b'"], "character(5)": ["'a'", "'b'"], boolean: ["true", "false"],
      date: ["'2024-01-01'", "'2024-01-02'"], timestamp: ["'2024-01-01 00:00:00'", "'2024-01-01 00:00:00.000001'"], timestamptz: ["'2024-01-01 00:00:00Z'", "'2024-01-01 00:00:01Z'"],
      uuid: ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'"], interval: ["'1 month'", "'30 days'"], jsonb: ["'1'", "'2'"],
    };
    for (const [cast, type, native] of TYPES) {
      const [a, b] = samples[cast]!;
      const columns = [same("k", "int", "integer"), same("x", type, native), same("y", type, native)];
      const rows = [[a, b], [b, a], [a, "NULL"], ["NULL", a], [a, a], ["NULL", "NULL"]].map((r) => ["1", ...r]);
      const found = await hashes(columns, ["int", cast, cast], rows);
      expect(new Set(found).size, `${cast}: ${JSON.stringify(found)}`).toBe(rows.length);
    }
  });

  it("keeps values swapped between rows from cancelling in the table's xor", async () => {
    const columns = [same("k", "int", "integer"), same("v", "int", "integer")];
    const xor = async (rows: string[][]) =>
      (await client.query<{ x: string }>(`SELECT bit_xor(${rowHash(["v.k", "v.v"], columns)})::text AS x FROM (VALUES ${rows.map((r) => `(${r.join(", ")})`).join(", ")}) AS v(k, v)`)).rows[0]!.x;
    expect(await xor([["1", "10"], ["2", "20"]])).not.toBe(await xor([["1", "20"], ["2", "10"]]));
  });
});
