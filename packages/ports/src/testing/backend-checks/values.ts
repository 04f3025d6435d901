import { expect } from "vitest";
import { CellValue, type Row } from "../../values.js";
import { CONTRACT_TABLE, MANY_TABLE, VALUES_TABLE } from "../fixture.js";
import { collect, type BackendCheck, type ContractEnv } from "./support.js";

const group = "value forms and streams";
const values = VALUES_TABLE.name;

async function valueRows(env: ContractEnv): Promise<Row[]> {
  const rows = await collect(env.backend().query(`SELECT * FROM ${values} ORDER BY id`, env.at));
  expect(rows.map((r) => r.id)).toEqual(VALUES_TABLE.rows.map((r) => r.id));
  return rows;
}

function column(rows: Row[], name: string): Array<CellValue | undefined> {
  return rows.map((r) => r[name]);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

/** The value forms of values.ts, read back through query(). */
export const valueChecks: BackendCheck[] = [
  {
    group,
    name: "streams query rows as plain cell values with the query's column names",
    needs: ["sql"],
    async run(env) {
      const rows = await collect(env.backend().query(`SELECT * FROM ${CONTRACT_TABLE.name} ORDER BY id`, env.at));
      expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => CONTRACT_TABLE.columns.map((c) => c.name)));
      for (const row of rows) for (const v of Object.values(row)) expect(CellValue.safeParse(v).success, `not a CellValue: ${String(v)}`).toBe(true);
      expect(rows).toEqual(CONTRACT_TABLE.rows);
    },
  },
  {
    group,
    name: "gives DECIMAL(38,10) values as exact strings with their scale",
    needs: ["sql", "fixtures"],
    async run(env) {
      expect(column(await valueRows(env), "dec")).toEqual(column([...VALUES_TABLE.rows], "dec"));
    },
  },
  {
    group,
    name: "gives integers beyond 2^53 as exact strings, within 2^53 as numbers",
    needs: ["sql", "fixtures"],
    async run(env) {
      const big = column(await valueRows(env), "big");
      expect(big).toEqual(["9223372036854775807", "-9223372036854775808", 9007199254740991, "9007199254740993", -9007199254740991, null]);
      const [small] = await collect(env.backend().query(`SELECT count(*) AS n, max(id) AS top FROM ${values}`, env.at));
      expect(small).toEqual({ n: 6, top: 6 });
    },
  },
  {
    group,
    name: "gives dates as YYYY-MM-DD, never as timestamps",
    needs: ["sql", "fixtures"],
    async run(env) {
      expect(column(await valueRows(env), "day")).toEqual(["2024-02-29", "1969-12-31", "2000-01-01", "2024-12-31", "2024-01-01", null]);
    },
  },
  {
    group,
    name: "gives timestamps without time zone as ISO-8601 local date-times (T, no zone)",
    needs: ["sql", "fixtures"],
    async run(env) {
      const ts = column(await valueRows(env), "ts");
      expect(ts.at(-1)).toBeNull();
      const expected = VALUES_TABLE.rows.map((r) => r.ts);
      ts.slice(0, -1).forEach((value, i) => {
        expect(typeof value === "string" && ISO_TIMESTAMP.test(value), `not an ISO local timestamp: ${String(value)}`).toBe(true);
        expect(Date.parse(`${String(value)}Z`)).toBe(Date.parse(`${String(expected[i])}Z`));
      });
    },
  },
  {
    group,
    name: "gives booleans as booleans, doubles as numbers, text exactly (quotes, accents, empty string)",
    needs: ["sql", "fixtures"],
    async run(env) {
      const rows = await valueRows(env);
      expect(column(rows, "flag")).toEqual(column([...VALUES_TABLE.rows], "flag"));
      expect(column(rows, "dbl")).toEqual(column([...VALUES_TABLE.rows], "dbl"));
      expect(column(rows, "txt")).toEqual(column([...VALUES_TABLE.rows], "txt"));
    },
  },
  {
    group,
    name: "gives NULL as null in every column type",
    needs: ["sql", "fixtures"],
    async run(env) {
      const last = (await valueRows(env)).at(-1)!;
      expect(last).toEqual(Object.fromEntries(VALUES_TABLE.columns.map((c) => [c.name, c.name === "id" ? 6 : null])));
    },
  },
  {
    group,
    name: "streams a larger result completely and in the query's order",
    needs: ["sql", "fixtures"],
    async run(env) {
      let count = 0;
      let last = -1;
      let ordered = true;
      for await (const row of env.backend().query(`SELECT id FROM ${MANY_TABLE.name} ORDER BY id`, env.at)) {
        if ((row.id as number) <= last) ordered = false;
        last = row.id as number;
        count++;
      }
      expect({ count, last, ordered }).toEqual({ count: MANY_TABLE.rows.length, last: MANY_TABLE.rows.length - 1, ordered: true });
    },
  },
  {
    group,
    name: "gives its connection back when the consumer stops a stream early",
    needs: ["sql", "fixtures"],
    async run(env) {
      for (let i = 0; i < 12; i++) {
        for await (const row of env.backend().query(`SELECT id FROM ${MANY_TABLE.name}`, env.at)) if (row.id !== undefined) break;
      }
      const counts = await Promise.all(Array.from({ length: 6 }, () => env.backend().countRows(env.obj(CONTRACT_TABLE.name))));
      expect(counts).toEqual(counts.map(() => 4));
    },
  },
];
