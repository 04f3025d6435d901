import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackendCapabilities, CompareResult, type Backend } from "../backend.js";
import { isAssayError } from "../errors.js";
import { validatePortInstance } from "../plugin.js";
import { CellValue, type Coordinates, type Row } from "../values.js";
import { CONTRACT_TABLE } from "./fixture.js";

export interface BackendContractOptions {
  /** Creates a backend whose coordinates `at` hold CONTRACT_TABLE (see contractTableSql). */
  create: () => Promise<Backend>;
  at: Coordinates;
  /** Set to a reason to report the suite as skipped (e.g. no server). */
  skip?: string | false;
}

async function collect(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAssayError(error), `expected an AssayError with code ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

/** The Backend port's contract. Every backend adapter runs it on itself. */
export function describeBackendContract(name: string, options: BackendContractOptions): void {
  const suite = options.skip ? describe.skip : describe;
  suite(`Backend contract: ${name}${options.skip ? ` (skipped: ${options.skip})` : ""}`, () => {
    let backend: Backend;
    const obj = { ...options.at, name: CONTRACT_TABLE.name };
    const table = CONTRACT_TABLE.name;

    beforeAll(async () => {
      backend = await options.create();
    });
    afterAll(async () => {
      await backend?.close();
    });

    it("implements the port and declares consistent capabilities", () => {
      expect(() => validatePortInstance("backend", backend, name)).not.toThrow();
      expect(BackendCapabilities.safeParse(backend.capabilities).success).toBe(true);
    });

    it("lists the fixture table as a test object", async () => {
      const objects = await backend.listTestObjects(options.at);
      expect(objects).toContainEqual({ name: table, kind: "table" });
    });

    it("reports the schema with harmonised types, in column order", async () => {
      const schema = await backend.getSchema(obj);
      expect(schema.columns.map((c) => [c.name, c.type])).toEqual(CONTRACT_TABLE.columns.map((c) => [c.name, c.type]));
      for (const c of schema.columns) expect(c.rawType.length).toBeGreaterThan(0);
      if (backend.capabilities.primaryKeys) expect(schema.primaryKeys).toEqual([...CONTRACT_TABLE.primaryKeys]);
    });

    it("refuses an unknown object with BACKEND_OBJECT_NOT_FOUND", async () => {
      await expectCode(backend.getSchema({ ...obj, name: "assay_no_such_table" }), "BACKEND_OBJECT_NOT_FOUND");
      await expectCode(backend.countRows({ ...obj, name: "assay_no_such_table" }), "BACKEND_OBJECT_NOT_FOUND");
    });

    it("counts rows, with equality filters bound as values (NULL matches IS NULL)", async () => {
      expect(await backend.countRows(obj)).toBe(4);
      expect(await backend.countRows(obj, [{ column: "region", value: "europe" }])).toBe(2);
      expect(await backend.countRows(obj, [{ column: "region", value: null }])).toBe(1);
      expect(await backend.countRows(obj, [{ column: "region", value: "x' OR '1'='1" }])).toBe(0);
      expect(await backend.countRows(obj, [{ column: "id", value: 3 }])).toBe(1);
    });

    it("streams query rows as plain cell values", async () => {
      const rows = await collect(backend.query(`SELECT * FROM ${table} ORDER BY id`, options.at));
      expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4]);
      for (const row of rows) for (const v of Object.values(row)) expect(CellValue.safeParse(v).success).toBe(true);
      expect(Number(rows[0]!.amount)).toBe(10.5);
      expect(String(rows[0]!.ordered_on).slice(0, 10)).toBe("2024-01-01");
    });

    it("gives the schema of a query", async () => {
      const columns = await backend.getQuerySchema(`SELECT id, amount FROM ${table}`, options.at);
      expect(columns.map((c) => c.name)).toEqual(["id", "amount"]);
    });

    it("answers concurrent calls", async () => {
      const counts = await Promise.all(Array.from({ length: 8 }, () => backend.countRows(obj)));
      expect(counts).toEqual(Array.from({ length: 8 }, () => 4));
    });

    it("compares an identical query as all matched", async (ctx) => {
      if (!backend.capabilities.compare || !backend.compare) return ctx.skip();
      const result = CompareResult.parse(
        await backend.compare({ at: options.at, expectedSql: `SELECT * FROM ${table}`, object: table, keys: ["id"] }),
      );
      expect(result).toMatchObject({ expectedRows: 4, actualRows: 4, matchedRows: 4, missingRows: 0, extraRows: 0, mismatchedRows: 0 });
      expect(result.diff).toEqual([]);
    });

    it("compares missing, extra, mismatched and duplicated rows, with tolerance", async (ctx) => {
      if (!backend.capabilities.compare || !backend.compare) return ctx.skip();
      const expectedSql =
        `SELECT id, region, CASE WHEN id = 3 THEN amount + 1 ELSE amount END AS amount, ordered_on FROM ${table} WHERE id <> 2 ` +
        `UNION ALL SELECT 9 AS id, 'africa' AS region, 1.00 AS amount, DATE '2024-02-01' AS ordered_on ` +
        `UNION ALL SELECT id, region, amount, ordered_on FROM ${table} WHERE id = 4`;
      const base = { at: options.at, expectedSql, object: table, keys: ["id"], maxDiffRows: 100 };
      const strict = CompareResult.parse(await backend.compare(base));
      expect(strict).toMatchObject({ expectedRows: 5, actualRows: 4, missingRows: 1, extraRows: 1, mismatchedRows: 1 });
      expect(strict.duplicateKeys).toEqual({ expected: 1, actual: 0 });
      expect(strict.columns.find((c) => c.name === "amount")?.mismatches).toBe(1);
      const kinds = strict.diff.map((d) => `${d.kind}:${String(d.key.id)}`).sort();
      expect(kinds).toEqual(["duplicate:4", "extra:2", "mismatch:3", "missing:9"]);
      const tolerant = CompareResult.parse(await backend.compare({ ...base, tolerance: { default: 0, columns: { amount: 1 } } }));
      expect(tolerant.mismatchedRows).toBe(0);
      const capped = CompareResult.parse(await backend.compare({ ...base, maxDiffRows: 1 }));
      expect(capped.diff).toHaveLength(1);
      expect(capped.truncated).toBe(true);
    });

    it("scans rows in key order", async (ctx) => {
      if (!backend.capabilities.orderedScan || !backend.scan) return ctx.skip();
      const rows = await collect(backend.scan({ at: options.at, source: { kind: "object", name: table }, orderBy: ["id"] }));
      expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    });

    it("closes idempotently without throwing", async () => {
      const other = await options.create();
      await other.close();
      await expect(other.close()).resolves.toBeUndefined();
    });
  });
}
