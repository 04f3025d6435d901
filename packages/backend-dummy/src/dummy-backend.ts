import {
  BackendError,
  type Backend,
  type BackendCapabilities,
  type CallOptions,
  type CellValue,
  type Column,
  type Coordinates,
  type Row,
  type RowFilter,
  type ScanRequest,
  type TableSchema,
  type TestObjectInfo,
  type TestObjectRef,
} from "@assay/ports";
import { setTimeout as sleep } from "node:timers/promises";
import { DUMMY_FIXTURE } from "./fixture.js";

export interface DummyBackendOptions {
  /** Simulated latency of every call, in milliseconds. */
  delayMs?: number;
}

/** The one table the dummy backend serves, at every coordinate (CONTRACT_TABLE of @assay/ports/testing). */
export const DUMMY_TABLE = DUMMY_FIXTURE.name;

const COLUMNS: readonly Column[] = DUMMY_FIXTURE.columns.map((c) => ({ name: c.name, rawType: c.type.toUpperCase(), type: c.type }));
const NUMERIC_TYPES = new Set(["int", "decimal(12,2)"]);

/**
 * Fixed, documented answers for tests; no engine. Every coordinate holds the contract fixture
 * table and nothing else. SQL is never executed: a query's plain column list (`SELECT id,
 * amount FROM ...` or `SELECT * ...`) picks the fixture columns returned, and every other part
 * of the SQL is ignored, so a query always yields the four fixture rows in id order.
 */
export class DummyBackend implements Backend {
  readonly capabilities: BackendCapabilities = {
    primaryKeys: true,
    partitioning: false,
    clustering: false,
    compare: false,
    sampledCompare: false,
    orderedScan: true,
    latestLoad: false,
  };

  readonly #delayMs: number;
  #closed = false;

  constructor(options: DummyBackendOptions = {}) {
    this.#delayMs = options.delayMs ?? 0;
  }

  async listTestObjects(_at: Coordinates, options?: CallOptions): Promise<TestObjectInfo[]> {
    await this.#call(options);
    return [{ name: DUMMY_TABLE, kind: "table" }];
  }

  async exists(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    await this.#call(options);
    return object.name === DUMMY_TABLE;
  }

  async hasRows(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    await this.#call(options);
    this.#table(object.name);
    return DUMMY_FIXTURE.rows.length > 0;
  }

  async getSchema(object: TestObjectRef, options?: CallOptions): Promise<TableSchema> {
    await this.#call(options);
    this.#table(object.name);
    return {
      columns: COLUMNS.map((c) => ({ ...c })),
      primaryKeys: [...DUMMY_FIXTURE.primaryKeys],
      partitioning: null,
      clustering: null,
    };
  }

  async getQuerySchema(sql: string, _at: Coordinates, options?: CallOptions): Promise<Column[]> {
    await this.#call(options);
    return selectedColumns(sql).map((c) => ({ ...c }));
  }

  async countRows(object: TestObjectRef, filters: RowFilter[] = [], options?: CallOptions): Promise<number> {
    await this.#call(options);
    this.#table(object.name);
    for (const filter of filters) columnNamed(filter.column);
    return DUMMY_FIXTURE.rows.filter((row) => filters.every((f) => matches(row[f.column as keyof typeof row], f.value))).length;
  }

  async *query(sql: string, _at: Coordinates, options?: CallOptions): AsyncIterable<Row> {
    await this.#call(options);
    const columns = selectedColumns(sql);
    for (const row of DUMMY_FIXTURE.rows) {
      this.#checkSignal(options);
      yield project(row, columns);
    }
  }

  async *scan(request: ScanRequest, options?: CallOptions): AsyncIterable<Row> {
    await this.#call(options);
    const source = request.source;
    let columns: readonly Column[];
    if (source.kind === "object") {
      this.#table(source.name);
      columns = COLUMNS;
    } else {
      columns = selectedColumns(source.sql);
    }
    if (request.columns) columns = request.columns.map(columnNamed);
    const order = request.orderBy.map(columnNamed);
    const rows = [...DUMMY_FIXTURE.rows].sort((a, b) => {
      for (const column of order) {
        const byColumn = compareCells(a[column.name as keyof typeof a], b[column.name as keyof typeof b], column);
        if (byColumn !== 0) return byColumn;
      }
      return 0;
    });
    for (const row of rows) {
      this.#checkSignal(options);
      yield project(row, columns);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Every call: refuse after close, honour an aborted signal, then wait the simulated latency. */
  async #call(options: CallOptions | undefined): Promise<void> {
    if (this.#closed) {
      throw new BackendError("BACKEND_CLOSED", "The dummy backend was called after it was closed", {
        fix: "Create a new backend instance for each run.",
      });
    }
    this.#checkSignal(options);
    if (this.#delayMs <= 0) return;
    try {
      await sleep(this.#delayMs, undefined, options?.signal ? { signal: options.signal } : undefined);
    } catch (cause) {
      throw aborted(cause);
    }
  }

  #checkSignal(options: CallOptions | undefined): void {
    if (options?.signal?.aborted) throw aborted(options.signal.reason);
  }

  #table(name: string): void {
    if (name !== DUMMY_TABLE) {
      throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `The dummy backend has no test object named ${JSON.stringify(name)}`, {
        where: { key: name },
        expected: `the only object it serves: ${DUMMY_TABLE}`,
        fix: "The dummy backend serves fixed answers for tests; use a real backend for real data.",
      });
    }
  }
}

function aborted(cause: unknown): BackendError {
  return new BackendError("BACKEND_TIMEOUT", "The dummy backend call was aborted", { cause });
}

function columnNamed(name: string): Column {
  const column = COLUMNS.find((c) => c.name === name);
  if (!column) {
    throw new BackendError("BACKEND_QUERY", `The dummy backend's table has no column ${JSON.stringify(name)}`, {
      expected: `one of ${COLUMNS.map((c) => c.name).join(", ")}`,
    });
  }
  return column;
}

/**
 * The columns a query selects: a plain list of fixture column names (optionally double-quoted)
 * or `*`. Anything else in the select list (expressions, aliases) gives every fixture column.
 */
function selectedColumns(sql: string): readonly Column[] {
  const match = /^\s*select\s+(.+?)\s+from\s/is.exec(sql);
  if (!match) return COLUMNS;
  const items = match[1]!.split(",").map((item) => item.trim());
  const names = items.map((item) => /^"?([A-Za-z_][A-Za-z0-9_]*)"?$/.exec(item)?.[1]);
  if (items.length === 1 && items[0] === "*") return COLUMNS;
  if (names.some((n) => n === undefined)) return COLUMNS;
  return (names as string[]).map(columnNamed);
}

function project(row: Row, columns: readonly Column[]): Row {
  return Object.fromEntries(columns.map((c) => [c.name, row[c.name] ?? null]));
}

/** Equality as the engines bind it: `= value`, or `IS NULL` for null. */
function matches(cell: CellValue | undefined, value: CellValue): boolean {
  return value === null ? cell === null : cell === value;
}

/** Ascending, NULLs first; numbers and decimal strings by value, other values as text. */
function compareCells(a: CellValue | undefined, b: CellValue | undefined, column: Column): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (NUMERIC_TYPES.has(column.type)) return Number(a) - Number(b);
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
