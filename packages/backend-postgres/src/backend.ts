import Cursor from "pg-cursor";
import {
  BackendError,
  CompareRequest,
  isAssayError,
  LoadColumns,
  type Backend,
  type BackendCapabilities,
  type CallOptions,
  type CellValue,
  type Column,
  type CompareResult,
  type Coordinates,
  type DiffRow,
  type LatestLoad,
  type RawFileCount,
  type RawFileOptions,
  type Row,
  type RowFilter,
  type ScanRequest,
  type TableSchema,
  type TestObjectInfo,
  type TestObjectRef,
} from "@assay/ports";
import { compareSql, type ComparedColumn } from "./compare-sql.js";
import { ConnectionPools, type Session } from "./connections.js";
import { countCsvRecords } from "./csv-count.js";
import { harmoniseType } from "./harmonise.js";
import { describeRelation, formatTypes, layoutOf, listRelations, type Relation } from "./introspection.js";
import { renderTemplate, type PostgresOptions, type ConnectionSettings } from "./options.js";
import { RawFiles } from "./raw-files.js";
import { qualified, quoteIdent, subquery } from "./sql.js";

const BATCH_ROWS = 1000;

/** The PostgreSQL backend. Create it through the plugin (`create(options, context)`). */
export class PostgresBackend implements Backend {
  readonly capabilities: BackendCapabilities = {
    primaryKeys: true,
    partitioning: true,
    clustering: true,
    compare: true,
    sampledCompare: true,
    orderedScan: true,
    rawFiles: true,
  };
  private readonly pools: ConnectionPools;
  private readonly raw: RawFiles;

  constructor(
    private readonly options: PostgresOptions,
    private readonly connection: ConnectionSettings,
    scrub: (text: string) => string,
    projectRoot: string,
  ) {
    this.pools = new ConnectionPools({
      connection,
      poolSize: options.poolSize,
      timeoutMs: options.timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      scrub,
    });
    this.raw = new RawFiles(projectRoot, options.files);
  }

  private database(at: Coordinates): string {
    return renderTemplate(this.connection.database, at);
  }

  private schema(at: Coordinates): string {
    return renderTemplate(this.options.schema, at);
  }

  /** Runs `work` in a read-only session at the coordinates. */
  private async within<T>(at: Coordinates, call: CallOptions | undefined, work: (session: Session) => Promise<T>): Promise<T> {
    const session = await this.pools.open(this.database(at), this.schema(at), call?.signal);
    try {
      return await work(session);
    } catch (error) {
      // assay's own refusals leave the connection healthy; anything else may not have.
      if (isAssayError(error)) throw error;
      session.markBroken();
      throw session.error(error);
    } finally {
      await session.end();
    }
  }

  private notFound(ref: TestObjectRef): BackendError {
    return new BackendError(
      "BACKEND_OBJECT_NOT_FOUND",
      `No table, view or raw-file folder ${JSON.stringify(ref.name)} in schema ${JSON.stringify(this.schema(ref))} of database ${JSON.stringify(this.database(ref))}`,
      { fix: "Check the object name, or the database and schema templates in the backend options." },
    );
  }

  async listTestObjects(at: Coordinates, options?: CallOptions): Promise<TestObjectInfo[]> {
    const relations = await this.within(at, options, (s) => listRelations(s, this.schema(at)));
    const files = (await this.raw.list(at)).map((name): TestObjectInfo => ({ name, kind: "files" }));
    return [...relations, ...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async exists(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    if (await this.raw.folder(object, object.name)) return true;
    return this.within(object, options, async (session) => {
      const found = await session.query(
        `SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`,
        [this.schema(object), object.name],
      );
      return found.rows.length > 0;
    });
  }

  async hasRows(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    return this.within(object, options, async (session) => {
      const found = await this.relationOrFolder(session, object);
      if ("folder" in found) return (await this.countRows(object, [], options)) > 0;
      const result = await session.query(`SELECT 1 FROM ${qualified(this.schema(object), object.name)} LIMIT 1`);
      return result.rows.length > 0;
    });
  }

  /** The relation, or null when the name is a raw-file folder instead; throws when it is neither. */
  private async relationOrFolder(session: Session, ref: TestObjectRef): Promise<Relation | { folder: string }> {
    const relation = await describeRelation(session, this.schema(ref), ref.name);
    if (relation) return relation;
    const folder = await this.raw.folder(ref, ref.name);
    if (folder) return { folder };
    throw this.notFound(ref);
  }

  async getSchema(object: TestObjectRef, options?: CallOptions): Promise<TableSchema> {
    return this.within(object, options, async (session) => {
      const found = await this.relationOrFolder(session, object);
      if ("folder" in found) {
        throw new BackendError("BACKEND_UNSUPPORTED", `${object.name} is a raw-file folder (${found.folder}); it has no table schema`, {
          fix: "Test the schema of its stage table instead.",
        });
      }
      const layout = found.kind === "table" ? await layoutOf(session, found.oid) : { partitioning: [], clustering: [] };
      return {
        columns: found.columns.map(({ name, rawType, type }) => ({ name, rawType, type })),
        primaryKeys: found.primaryKeys,
        ...layout,
      };
    });
  }

  async getQuerySchema(sql: string, at: Coordinates, options?: CallOptions): Promise<Column[]> {
    return this.within(at, options, (session) => querySchema(session, sql));
  }

  async countRows(object: TestObjectRef, filters: RowFilter[] = [], options?: CallOptions): Promise<number> {
    const folder = await this.raw.folder(object, object.name);
    return this.within(object, options, async (session) => {
      const relation = await describeRelation(session, this.schema(object), object.name);
      if (!relation && folder) {
        if (filters.length > 0) {
          throw new BackendError("BACKEND_UNSUPPORTED", `Row filters do not apply to the raw-file folder ${object.name}`, {
            fix: "Count the raw files through STAGECOUNT instead.",
          });
        }
        let total = 0;
        for (const file of await this.raw.files(folder)) total += await this.countRawFile(file, {}, options);
        return total;
      }
      if (!relation) throw this.notFound(object);
      const values: CellValue[] = [];
      const where = filters.map((f) => {
        if (f.value === null) return `${quoteIdent(f.column)} IS NULL`;
        values.push(f.value);
        return `${quoteIdent(f.column)} = $${values.length}`;
      });
      const text = `SELECT count(*) AS n FROM ${qualified(this.schema(object), object.name)}${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;
      const result = await session.query<{ n: number }>(text, values);
      return Number(result.rows[0]?.n ?? 0);
    });
  }

  query(sql: string, at: Coordinates, options?: CallOptions): AsyncIterable<Row> {
    return this.stream(at, `SELECT * FROM ${subquery(sql)} AS assay_q`, sql, options);
  }

  scan(request: ScanRequest, options?: CallOptions): AsyncIterable<Row> {
    const source = request.source.kind === "query" ? `${subquery(request.source.sql)} AS assay_q` : `${qualified(this.schema(request.at), request.source.name)} AS assay_q`;
    const columns = request.columns?.length ? request.columns.map(quoteIdent).join(", ") : "*";
    const order = request.orderBy.map((c) => `${quoteIdent(c)} ASC NULLS FIRST`).join(", ");
    return this.stream(request.at, `SELECT ${columns} FROM ${source} ORDER BY ${order}`, request.source.kind === "query" ? request.source.sql : undefined, options);
  }

  /** Streams a statement's rows through a server-side cursor, BATCH_ROWS at a time. */
  private async *stream(at: Coordinates, text: string, userSql: string | undefined, options?: CallOptions): AsyncGenerator<Row> {
    const session = await this.pools.open(this.database(at), this.schema(at), options?.signal);
    const cursor = session.client.query(new Cursor<Row>(text));
    let done = false;
    try {
      for (;;) {
        const rows = await session.run(cursor.read(BATCH_ROWS), userSql);
        if (rows.length === 0) break;
        yield* rows;
      }
      done = true;
    } finally {
      if (!done) session.markBroken();
      else await cursor.close().catch(() => session.markBroken());
      await session.end();
    }
  }

  async compare(request: CompareRequest, options?: CallOptions): Promise<CompareResult> {
    const req = CompareRequest.parse(request);
    const ref = { ...req.at, name: req.object };
    return this.within(req.at, options, async (session) => {
      const expected = await querySchema(session, req.expectedSql);
      const relation = await describeRelation(session, this.schema(req.at), req.object);
      if (!relation) throw this.notFound(ref);
      const expectedByName = new Map(expected.map((c) => [c.name, c]));
      const actualByName = new Map(relation.columns.map((c) => [c.name, c]));
      const side = (name: string): ComparedColumn => {
        const e = expectedByName.get(name);
        const a = actualByName.get(name);
        if (!e || !a) {
          throw new BackendError("BACKEND_QUERY", `COMPARE column ${JSON.stringify(name)} is missing from ${!e ? "the expected query" : `object ${req.object}`}`, {
            expected: `the column in both the expected query (${expected.map((c) => c.name).join(", ")}) and the object (${relation.columns.map((c) => c.name).join(", ")})`,
            fix: "Select the column in the expected query, or correct the keys of the schema spec.",
          });
        }
        return {
          name,
          expectedType: { raw: e.rawType, type: e.type },
          actualType: { raw: a.rawType, type: a.type },
          tolerance: req.tolerance.columns[name] ?? req.tolerance.default,
        };
      };
      const keys = req.keys.map(side);
      const names = req.columns ?? expected.map((c) => c.name).filter((n) => !req.keys.includes(n));
      const columns = names.map(side);
      const plan = compareSql({
        expectedSql: req.expectedSql,
        actual: qualified(this.schema(req.at), req.object),
        keys,
        columns,
        actualUnique: relation.uniqueNotNull.some((set) => set.every((c) => req.keys.includes(c))),
        actualKeysNotNull: req.keys.every((k) => actualByName.get(k)?.notNull === true),
        sample: req.sample ? { threshold: Math.round(req.sample.percent * 10_000), seed: seedNumber(req.sample.seed) } : undefined,
        maxDiffRows: req.maxDiffRows,
      });
      const result = await session.query<Record<string, CellValue>>(plan.text, plan.values, req.expectedSql);
      return compareResult(result.rows, req.keys, names, req.maxDiffRows, req.sample ?? null);
    });
  }

  async latestLoad(object: TestObjectRef, columns: Partial<LoadColumns> = {}, options?: CallOptions): Promise<LatestLoad> {
    const { timestamp, file } = LoadColumns.parse(columns);
    return this.within(object, options, async (session) => {
      const relation = await describeRelation(session, this.schema(object), object.name);
      if (!relation) throw this.notFound(object);
      const table = qualified(this.schema(object), object.name);
      const ts = quoteIdent(timestamp);
      const result = await session.query<{ loaded_at: CellValue; path: CellValue; n: number }>(
        `WITH latest AS (SELECT max(${ts}) AS ts FROM ${table})
         SELECT latest.ts AS loaded_at, t.${quoteIdent(file)} AS path, count(*) AS n
           FROM ${table} AS t JOIN latest ON t.${ts} = latest.ts
          GROUP BY latest.ts, t.${quoteIdent(file)} ORDER BY 2 NULLS FIRST`,
      );
      const first = result.rows[0];
      return {
        loadedAt: first ? String(first.loaded_at) : null,
        files: result.rows.map((r) => ({ path: r.path === null ? "" : String(r.path), rows: Number(r.n) })),
      };
    });
  }

  async countRawFileRows(rawObject: TestObjectRef, paths: string[], options: RawFileOptions = {}, call?: CallOptions): Promise<RawFileCount[]> {
    const folder = await this.raw.folder(rawObject, rawObject.name);
    if (!folder) throw this.notFound(rawObject);
    const out: RawFileCount[] = [];
    for (const path of paths) {
      const file = await this.raw.resolveInside(rawObject, folder, path);
      out.push({ path, rows: await this.countRawFile(file, options, call) });
    }
    return out;
  }

  private async countRawFile(file: string, options: RawFileOptions, call: CallOptions | undefined): Promise<number> {
    if (call?.signal?.aborted) throw new BackendError("BACKEND_TIMEOUT", "Counting raw files was cancelled because the call was aborted");
    if (options.format === "parquet" || (options.format === undefined && /\.parquet$/i.test(file))) {
      throw new BackendError("BACKEND_UNSUPPORTED", `The postgres backend cannot read Parquet files (${file})`, {
        expected: "CSV raw files (format: csv)",
        fix: "Use a backend that reads Parquet (duckdb) for this domain, or provide CSV raw files.",
      });
    }
    try {
      return await countCsvRecords(file, options);
    } catch (error) {
      if (error instanceof BackendError) throw error;
      throw new BackendError("BACKEND_QUERY", `Cannot read raw file ${file} as CSV: ${(error as Error).message}`, {
        fix: "Check the file's format, encoding and delimiter in the stagecount spec.",
        cause: error,
      });
    }
  }

  rawObjectFor(stageObject: string): string | null {
    return this.raw.rawObjectFor(stageObject);
  }

  async close(): Promise<void> {
    try {
      await this.pools.close();
    } catch {
      // close() never throws: there is nothing left to release.
    }
  }
}

/** Result columns of a query, read from the server's description of `LIMIT 0`. */
async function querySchema(session: Session, sql: string): Promise<Column[]> {
  const result = await session.query(`SELECT * FROM ${subquery(sql)} AS assay_q LIMIT 0`, [], sql);
  const raw = await formatTypes(session, result.fields);
  return result.fields.map((f, i) => ({ name: f.name, rawType: raw[i]!, type: harmoniseType(raw[i]!) }));
}

/** A stable 32-bit number for a sample seed (FNV-1a), the same for every run. */
function seedNumber(seed: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(seed, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

function compareResult(
  rows: Array<Record<string, CellValue>>,
  keys: string[],
  columns: string[],
  maxDiffRows: number,
  sample: { percent: number; seed: string } | null,
): CompareResult {
  const head = rows[0] ?? {};
  const n = (field: string): number => Number(head[field] ?? 0);
  const diff: DiffRow[] = [];
  for (const row of rows) {
    if (row.kind === null || row.kind === undefined) continue;
    const key: Row = Object.fromEntries(keys.map((k, i) => [k, row[`k${i}`] ?? null]));
    const values = (prefix: "e" | "a"): Row => ({ ...key, ...Object.fromEntries(columns.map((c, i) => [c, row[`${prefix}_c${i}`] ?? null])) });
    if (row.kind === "duplicate") {
      const sides: Array<["expected" | "actual", CellValue | undefined]> = [["expected", row.en], ["actual", row.an]];
      for (const [side, count] of sides) {
        if (Number(count ?? 0) > 1) diff.push({ kind: "duplicate", key, expected: null, actual: null, columns: [], side, count: Number(count) });
      }
      continue;
    }
    const kind = row.kind as "missing" | "extra" | "mismatch";
    diff.push({
      kind,
      key,
      expected: kind === "extra" ? null : values("e"),
      actual: kind === "missing" ? null : values("a"),
      columns: kind === "mismatch" ? columns.filter((_, i) => row[`m_c${i}`] === true) : [],
    });
  }
  const differing = n("missing") + n("extra") + n("mismatched") + n("duplicate_expected") + n("duplicate_actual");
  const kept = diff.slice(0, maxDiffRows);
  return {
    expectedRows: n("expected_rows"),
    actualRows: n("actual_rows"),
    matchedRows: n("matched"),
    missingRows: n("missing"),
    extraRows: n("extra"),
    mismatchedRows: n("mismatched"),
    duplicateKeys: { expected: n("duplicate_expected"), actual: n("duplicate_actual") },
    columns: columns.map((name, i) => ({ name, mismatches: n(`mismatches_c${i}`) })),
    diff: kept,
    truncated: differing > kept.length,
    sample,
  };
}
