import { setTimeout as sleep } from "node:timers/promises";
import {
  BackendError,
  type Backend,
  type BackendCapabilities,
  type CallOptions,
  type Column,
  type Coordinates,
  type LatestLoad,
  type LoadColumns,
  type Row,
  type RowFilter,
  type TableSchema,
  type TestObjectInfo,
  type TestObjectRef,
} from "../src/index.js";
import { CONTRACT_FIXTURES, type FixtureTable } from "../src/testing/fixture.js";

/** The defects a MemoryBackend can be built with, each one a way a real adapter goes wrong. */
export interface Defects {
  /** Decimals come back as JS numbers (rounded through DOUBLE). */
  floatDecimals?: boolean;
  /** Dates come back as midnight UTC timestamps. */
  timestampDates?: boolean;
  /** Signals are not listened to. */
  ignoreAbort?: boolean;
  /** DELETE is executed instead of refused. */
  executeWrites?: boolean;
  /** latestLoad groups paths as a case-insensitive, space-padding collation does. */
  foldFilePaths?: boolean;
}

/** The endless table: a query on it runs until aborted (the suite's longQuery). */
export const FOREVER = "assay_contract_forever";

const WRITE = /^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE|COPY|SET|ATTACH|INSTALL|LOAD|EXPORT)\b/i;

/**
 * A backend over the contract fixtures held in memory, understanding just enough SQL for the
 * checks the suite's own test runs (`SELECT cols FROM table [ORDER BY id]`, writes). Correct
 * unless built with defects; a unit double for testing the suite itself, not a product.
 */
export class MemoryBackend implements Backend {
  readonly capabilities: BackendCapabilities = {
    primaryKeys: true, partitioning: false, clustering: false, compare: false, sampledCompare: false, orderedScan: false, latestLoad: true,
  };
  readonly #tables = new Map<string, FixtureTable & { rows: Row[] }>();
  #closed = false;

  constructor(readonly defects: Defects = {}) {
    for (const f of CONTRACT_FIXTURES) if (!("view" in f)) this.#tables.set(f.name, { ...f, rows: f.rows.map((r) => ({ ...r })) });
  }

  async listTestObjects(_at: Coordinates, options?: CallOptions): Promise<TestObjectInfo[]> {
    this.#enter(options);
    return [...this.#tables.keys()].map((name) => ({ name, kind: "table" as const }));
  }

  async exists(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    this.#enter(options);
    return this.#tables.has(object.name);
  }

  async hasRows(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    this.#enter(options);
    return this.#table(object.name).rows.length > 0;
  }

  async getSchema(object: TestObjectRef, options?: CallOptions): Promise<TableSchema> {
    this.#enter(options);
    const table = this.#table(object.name);
    return { columns: table.columns.map((c) => ({ name: c.name, rawType: c.type.toUpperCase(), type: c.type })), primaryKeys: [...(table.primaryKeys ?? [])], partitioning: null, clustering: null };
  }

  async getQuerySchema(sql: string, _at: Coordinates, options?: CallOptions): Promise<Column[]> {
    this.#enter(options);
    const { table, columns } = this.#parse(sql);
    if (table === FOREVER) return [{ name: "id", rawType: "INT", type: "int" }];
    const all = this.#table(table).columns;
    return (columns ?? all.map((c) => c.name)).map((name) => {
      const c = all.find((x) => x.name === name)!;
      return { name, rawType: c.type.toUpperCase(), type: c.type };
    });
  }

  async countRows(object: TestObjectRef, filters: RowFilter[] = [], options?: CallOptions): Promise<number> {
    this.#enter(options);
    const table = this.#table(object.name);
    for (const f of filters) if (!table.columns.some((c) => c.name === f.column)) throw new BackendError("BACKEND_QUERY", `no column ${f.column}`);
    return table.rows.filter((r) => filters.every((f) => (r[f.column] ?? null) === f.value)).length;
  }

  async *query(sql: string, _at: Coordinates, options?: CallOptions): AsyncIterable<Row> {
    this.#enter(options);
    const write = WRITE.exec(sql);
    if (write) {
      const kind = write[1]!.toUpperCase();
      if (!this.defects.executeWrites) throw new BackendError("BACKEND_READ_ONLY", `A ${kind} statement was refused: the memory backend is read-only`);
      if (kind === "DELETE") this.#table(/FROM\s+(\w+)/i.exec(sql)![1]!).rows.length = 0;
      return;
    }
    const { table, columns } = this.#parse(sql);
    if (table === FOREVER) {
      for (let id = 0; !this.#closed; id++) {
        await sleep(5);
        if (!this.defects.ignoreAbort) this.#checkSignal(options);
        yield { id };
      }
      return;
    }
    const source = this.#table(table);
    for (const row of source.rows) {
      if (!this.defects.ignoreAbort) this.#checkSignal(options);
      yield this.#present(source, row, columns ?? source.columns.map((c) => c.name));
    }
  }

  async latestLoad(object: TestObjectRef, columns: Partial<LoadColumns> = {}, options?: CallOptions): Promise<LatestLoad> {
    this.#enter(options);
    const { timestamp = "m__ts", file = "m__source_file_path" } = columns;
    const rows = this.#table(object.name).rows.filter((r) => r[timestamp] !== null && r[timestamp] !== undefined);
    const newest = rows.map((r) => String(r[timestamp])).sort().at(-1);
    if (newest === undefined) return { loadedAt: null, files: [] };
    const counts = new Map<string, number>();
    for (const r of rows.filter((x) => String(x[timestamp]) === newest)) {
      const path = String(r[file] ?? "");
      const key = this.defects.foldFilePaths ? (counts.has(path) ? path : ([...counts.keys()].find((k) => k.toLowerCase().trimEnd() === path.toLowerCase().trimEnd()) ?? path)) : path;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const paths = [...counts.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return { loadedAt: newest, files: paths.map((path) => ({ path, rows: counts.get(path)! })) };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** A row as the port gives it, or as a defective adapter would. */
  #present(table: FixtureTable, row: Row, columns: string[]): Row {
    return Object.fromEntries(
      columns.map((name) => {
        const type = table.columns.find((c) => c.name === name)?.type;
        const value = row[name] ?? null;
        if (value !== null && type?.startsWith("decimal") && this.defects.floatDecimals) return [name, Number(value)];
        if (value !== null && type === "date" && this.defects.timestampDates) return [name, `${String(value)}T00:00:00.000Z`];
        return [name, value];
      }),
    );
  }

  #parse(sql: string): { table: string; columns: string[] | null } {
    const match = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)/is.exec(sql);
    if (!match) throw new BackendError("BACKEND_QUERY", `The memory backend does not understand: ${sql}`);
    const list = match[1]!.trim();
    return { table: match[2]!, columns: list === "*" ? null : list.split(",").map((c) => c.trim()) };
  }

  #table(name: string): FixtureTable & { rows: Row[] } {
    const table = this.#tables.get(name);
    if (!table) throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `no table ${name}`);
    return table;
  }

  #enter(options: CallOptions | undefined): void {
    if (this.#closed) throw new BackendError("BACKEND_CLOSED", "The memory backend is closed");
    if (!this.defects.ignoreAbort) this.#checkSignal(options);
  }

  #checkSignal(options: CallOptions | undefined): void {
    if (options?.signal?.aborted) throw new BackendError("BACKEND_TIMEOUT", "The call was aborted", { cause: options.signal.reason });
  }
}
