import {
  BackendError,
  type Backend,
  type BackendCapabilities,
  type CallOptions,
  type Column,
  type CompareRequest,
  type CompareResult,
  type Coordinates,
  type LatestLoad,
  type Row,
  type RowFilter,
  type ScanRequest,
  type TableSchema,
  type TestObjectInfo,
  type TestObjectRef,
  isNumericType,
} from "@assay/ports";
import { compareCells } from "../../src/compare/cells.js";
import { mergeCompare } from "../../src/compare/merge.js";

export interface FakeTable {
  columns: Column[];
  rows: Row[];
  primaryKeys?: string[] | null;
  partitioning?: string[] | null;
  clustering?: string[] | null;
  kind?: "table" | "view" | "files";
  /** For STAGECOUNT: the newest load's files and their stage row counts. */
  latestLoad?: LatestLoad;
}

export type FakeMethod = "listTestObjects" | "exists" | "hasRows" | "getSchema" | "getQuerySchema" | "countRows" | "query" | "compare" | "scan" | "latestLoad";

export const col = (name: string, type: string): Column => ({ name, rawType: type.toUpperCase(), type });

const ALL_CAPS: BackendCapabilities = {
  primaryKeys: true, partitioning: true, clustering: true, compare: true, sampledCompare: true, orderedScan: true, latestLoad: true,
};

/**
 * An in-memory Backend for isolating core: tables and query answers are given as data
 * (a query is looked up by its exact SQL text), capabilities are configurable, and any method
 * can be made to fail or to hang (ignoring its signal, like a stuck driver).
 */
export class FakeBackend implements Backend {
  capabilities: BackendCapabilities;
  readonly tables = new Map<string, FakeTable>();
  readonly queries = new Map<string, { columns: Column[]; rows: Row[] }>();
  /** Raw files: path → data rows. */
  readonly failures = new Map<FakeMethod, Error>();
  readonly hangs = new Set<FakeMethod>();
  readonly calls: { method: FakeMethod; signal: AbortSignal | undefined }[] = [];
  delayMs = 0;
  closed = 0;
  /** Scan rows in insertion order instead of key order (to test order detection). */
  unorderedScan = false;

  constructor(capabilities: Partial<BackendCapabilities> = {}) {
    this.capabilities = { ...ALL_CAPS, ...capabilities };
  }

  table(name: string, table: FakeTable): this {
    this.tables.set(name, table);
    return this;
  }

  answer(sql: string, columns: Column[], rows: Row[]): this {
    this.queries.set(sql, { columns, rows });
    return this;
  }

  async #call(method: FakeMethod, options?: CallOptions): Promise<void> {
    this.calls.push({ method, signal: options?.signal });
    if (this.hangs.has(method)) await new Promise(() => undefined);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    options?.signal?.throwIfAborted();
    const failure = this.failures.get(method);
    if (failure) throw failure;
  }

  #table(name: string): FakeTable {
    const t = this.tables.get(name);
    if (!t) throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `No table ${name}`);
    return t;
  }

  #query(sql: string): { columns: Column[]; rows: Row[] } {
    const q = this.queries.get(sql);
    if (!q) throw new BackendError("BACKEND_QUERY", `Unknown query: ${sql}`);
    return q;
  }

  async listTestObjects(_at: Coordinates, options?: CallOptions): Promise<TestObjectInfo[]> {
    await this.#call("listTestObjects", options);
    return [...this.tables].map(([name, t]) => ({ name, kind: t.kind ?? "table" }));
  }

  async exists(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    await this.#call("exists", options);
    return this.tables.has(object.name);
  }

  async hasRows(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    await this.#call("hasRows", options);
    return this.#table(object.name).rows.length > 0;
  }

  async getSchema(object: TestObjectRef, options?: CallOptions): Promise<TableSchema> {
    await this.#call("getSchema", options);
    const t = this.#table(object.name);
    return {
      columns: t.columns,
      primaryKeys: this.capabilities.primaryKeys ? (t.primaryKeys ?? []) : null,
      partitioning: this.capabilities.partitioning ? (t.partitioning ?? []) : null,
      clustering: this.capabilities.clustering ? (t.clustering ?? []) : null,
    };
  }

  async getQuerySchema(sql: string, _at: Coordinates, options?: CallOptions): Promise<Column[]> {
    await this.#call("getQuerySchema", options);
    return this.#query(sql).columns;
  }

  async countRows(object: TestObjectRef, filters: RowFilter[] = [], options?: CallOptions): Promise<number> {
    await this.#call("countRows", options);
    return this.#table(object.name).rows.filter((r) => filters.every((f) => (r[f.column] ?? null) === f.value)).length;
  }

  async *query(sql: string, _at: Coordinates, options?: CallOptions): AsyncIterable<Row> {
    await this.#call("query", options);
    for (const row of this.#query(sql).rows) yield row;
  }

  #source(request: { source: ScanRequest["source"] }): { columns: Column[]; rows: Row[] } {
    return request.source.kind === "query" ? this.#query(request.source.sql) : this.#table(request.source.name);
  }

  async *scan(request: ScanRequest, options?: CallOptions): AsyncIterable<Row> {
    await this.#call("scan", options);
    const { columns, rows } = this.#source(request);
    const numeric = request.orderBy.map((k) => isNumericType(columns.find((c) => c.name === k)?.type));
    const sorted = this.unorderedScan
      ? rows
      : [...rows].sort((a, b) => {
          for (const [i, k] of request.orderBy.entries()) {
            const c = compareCells(a[k] ?? null, b[k] ?? null, numeric[i]);
            if (c !== 0) return c;
          }
          return 0;
        });
    for (const row of sorted) {
      options?.signal?.throwIfAborted();
      yield request.columns ? Object.fromEntries(request.columns.map((c) => [c, row[c] ?? null])) : row;
    }
  }

  /** In-engine compare, here by merging the two sorted sides with core's merge. */
  async compare(request: CompareRequest, options?: CallOptions): Promise<CompareResult> {
    await this.#call("compare", options);
    const query = this.#query(request.expectedSql);
    const types = Object.fromEntries(query.columns.map((c) => [c.name, c.type]));
    const saved = this.unorderedScan;
    this.unorderedScan = false;
    const scan = (source: ScanRequest["source"]) => this.scan({ at: request.at, source, orderBy: request.keys });
    const result = await mergeCompare(scan({ kind: "query", sql: request.expectedSql }), scan({ kind: "object", name: request.object }), request, { types });
    this.unorderedScan = saved;
    return result;
  }

  async latestLoad(object: TestObjectRef, _columns?: unknown, options?: CallOptions): Promise<LatestLoad> {
    await this.#call("latestLoad", options);
    return this.#table(object.name).latestLoad ?? { loadedAt: null, files: [] };
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
