import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BackendError, type Row } from "@assay/ports";
import { closedError, quoteIdent, type Driver, type DriverSession, type ErrorTable, type NativeColumn, type Param, type SessionTarget } from "@assay/sql";
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBValue } from "@duckdb/node-api";
import { checkReadOnly } from "./read-only.js";
import { toCellValue } from "./values.js";

/** Connections per database file: concurrent test cases each get their own. */
const POOL_SIZE = 4;
/** While a cancelled call is still running, DuckDB is interrupted again this often (ms). */
const INTERRUPT_EVERY_MS = 25;

export interface EngineSettings {
  readOnly: boolean;
  threads?: number | undefined;
  memoryLimit?: string | undefined;
}

/** DuckDB's errors → AssayError codes. Interrupts and invalidated databases leave the connection unusable. */
const ERRORS: ErrorTable = {
  rules: [
    { code: "BACKEND_OBJECT_NOT_FOUND", fatal: false, match: (e) => /^Catalog Error: (Table|Table Function|View|Schema) with name .* does not exist/i.test(e.message),
      message: (e, s) => `${s.what} failed: ${e.message.split("\n")[0]}`, fix: "Check the object's name and the coordinates (stage, instance) the test runs at." },
    { code: "BACKEND_TIMEOUT", fatal: true, match: (e) => /INTERRUPT Error|Interrupted/i.test(e.message) },
    { code: "BACKEND_CLOSED", fatal: true, match: (e) => /connection (was|has been|is) (closed|disconnected)|database (has been|is) closed/i.test(e.message) },
    { code: "BACKEND_UNREACHABLE", fatal: true, match: (e) => /FATAL Error|database has been invalidated/i.test(e.message) },
    { code: "BACKEND_READ_ONLY", fatal: false, match: (e) => /in read-only mode/i.test(e.message), fix: "Write the test as a query that only reads." },
  ],
};

let spillCounter = 0;

/**
 * One DuckDB instance per database file (or memory), each with a small pool. A connection
 * remembers which schema `USE` last selected, so unqualified names in user SQL resolve to the
 * target's schema without rewriting the SQL.
 */
class Pool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly busy = new Set<DuckDBConnection>();
  private readonly schemaOf = new Map<DuckDBConnection, string>();
  private readonly waiters: Array<(c: DuckDBConnection | Error) => void> = [];
  private opened = 0;
  closed = false;

  private constructor(readonly label: string, private readonly instance: DuckDBInstance, readonly catalog: string, private readonly spillDir: string) {}

  static async open(path: string, settings: EngineSettings): Promise<Pool> {
    const memory = path === ":memory:";
    // Spill files go to a private temp folder, never next to a read-only warehouse file.
    const spillDir = join(tmpdir(), `assay-duckdb-${process.pid}-${++spillCounter}`);
    const config: Record<string, string> = { temp_directory: spillDir, autoinstall_known_extensions: "false" };
    if (settings.readOnly && !memory) config.access_mode = "READ_ONLY";
    if (settings.threads !== undefined) config.threads = String(settings.threads);
    if (settings.memoryLimit !== undefined) {
      config.memory_limit = settings.memoryLimit;
      // Under a memory limit, freed memory goes back to the OS promptly (DuckDB's allocator keeps
      // up to 128MB cached by default), so the process's footprint stays near the limit.
      config.allocator_flush_threshold = "16MB";
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (error) {
      throw new BackendError("BACKEND_UNREACHABLE", `DuckDB could not open ${memory ? "an in-memory database" : `the database ${path}`}: ${String((error as Error).message ?? error)}`, {
        fix: "Check the path and that no other program holds the file open for writing.",
        cause: error,
      });
    }
    const probe = await instance.connect();
    const catalog = String((await probe.runAndReadAll("SELECT current_database()")).getRows()[0]?.[0]);
    const pool = new Pool(memory ? "an in-memory database" : path, instance, catalog, spillDir);
    pool.idle.push(probe);
    pool.opened = 1;
    return pool;
  }

  /** A connection whose default schema is `schema`. */
  async acquire(schema: string): Promise<DuckDBConnection> {
    const connection = await this.take();
    this.busy.add(connection);
    if (this.schemaOf.get(connection) === schema) return connection;
    try {
      await connection.run(`USE ${quoteIdent(this.catalog)}.${quoteIdent(schema)}`);
      this.schemaOf.set(connection, schema);
      return connection;
    } catch (error) {
      this.giveBack(connection);
      throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `Schema "${schema}" does not exist in ${this.label}`, {
        expected: "the schema the backend option `schema` names for this instance",
        fix: "Check the instance name and the duckdb backend option schema (default {instance}).",
        cause: error,
      });
    }
  }

  private async take(): Promise<DuckDBConnection> {
    if (this.closed) throw closedError("duckdb");
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.opened < POOL_SIZE) {
      this.opened++;
      return this.instance.connect().catch((error: unknown) => {
        this.opened--;
        throw error;
      });
    }
    const next = await new Promise<DuckDBConnection | Error>((resolve) => this.waiters.push(resolve));
    if (next instanceof Error) throw next;
    return next;
  }

  giveBack(connection: DuckDBConnection): void {
    this.busy.delete(connection);
    if (this.closed) return this.drop(connection);
    const waiter = this.waiters.shift();
    if (waiter) waiter(connection);
    else this.idle.push(connection);
  }

  /** Closes a connection (its calls have settled); a waiter gets a fresh one. */
  drop(connection: DuckDBConnection): void {
    this.busy.delete(connection);
    this.schemaOf.delete(connection);
    this.opened--;
    try {
      connection.closeSync();
    } catch {
      // Already closed.
    }
    const waiter = this.waiters.shift();
    if (waiter) this.take().then(waiter, (e: unknown) => waiter(e instanceof Error ? e : new Error(String(e))));
  }

  /** Closes idle connections and the instance; busy ones are interrupted and close when their session ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.busy) connection.interrupt();
    for (const waiter of this.waiters.splice(0)) waiter(closedError("duckdb"));
    for (const connection of this.idle.splice(0)) this.drop(connection);
    try {
      this.instance.closeSync();
    } catch {
      // Nothing more to release.
    }
    rmSync(this.spillDir, { recursive: true, force: true });
  }
}

/** Binds values; a number or boolean compared with a text column is bound as its text. */
function bind(prepared: DuckDBPreparedStatement, params: readonly Param[]): void {
  params.forEach((value, i) => {
    const target = prepared.parameterTypeId(i + 1);
    const bound: DuckDBValue = target === DuckDBTypeId.VARCHAR && value !== null && typeof value !== "string" ? String(value) : value;
    prepared.bindValue(i + 1, bound);
  });
}

/**
 * A session on one connection. When its signal fires, DuckDB is interrupted at once and again
 * every INTERRUPT_EVERY_MS until the native call settles: an interrupt that lands while a
 * statement is still being prepared is lost, and the statement would then run to its end
 * (issue 14). A cancelled connection is closed, never reused, once its call has settled.
 */
class DuckDbSession implements DriverSession {
  private pending: Promise<unknown> = Promise.resolve();
  private released = false;
  private readonly onAbort = (): void => this.interruptUntilSettled();

  constructor(private readonly pool: Pool, private readonly connection: DuckDBConnection, private readonly signal: AbortSignal, private readonly readOnly: boolean) {
    signal.addEventListener("abort", this.onAbort, { once: true });
  }

  private interruptUntilSettled(): void {
    this.connection.interrupt();
    const timer = setInterval(() => this.connection.interrupt(), INTERRUPT_EVERY_MS);
    void this.pending.finally(() => clearInterval(timer));
  }

  /** Every native call goes through here, one at a time, after a check that the session is live. */
  private native<T>(work: () => Promise<T>): Promise<T> {
    if (this.released) return Promise.reject(closedError("duckdb"));
    if (this.signal.aborted) return Promise.reject(this.signal.reason as Error);
    const call = work();
    this.pending = call.catch(() => undefined);
    return call;
  }

  private async prepare(sql: string, params: readonly Param[]): Promise<DuckDBPreparedStatement> {
    const prepared = await this.native(() => this.connection.prepare(sql));
    bind(prepared, params);
    return prepared;
  }

  async all(sql: string, params: readonly Param[] = []): Promise<Row[]> {
    const prepared = await this.prepare(sql, params);
    try {
      return (await this.native(() => prepared.runAndReadAll())).convertRowObjects(toCellValue);
    } finally {
      prepared.destroySync();
    }
  }

  async *stream(sql: string, params: readonly Param[] = []): AsyncGenerator<Row[]> {
    const prepared = await this.prepare(sql, params);
    try {
      const result = await this.native(() => prepared.stream());
      const names = result.deduplicatedColumnNames();
      for (;;) {
        const chunk = await this.native(() => result.fetchChunk());
        if (!chunk || chunk.rowCount === 0) return;
        yield chunk.convertRows(toCellValue).map((values) => Object.fromEntries(names.map((n, i) => [n, values[i] ?? null])));
      }
    } finally {
      // Also reached when the consumer stops early: the statement and its pending result go.
      prepared.destroySync();
    }
  }

  async describe(sql: string): Promise<NativeColumn[]> {
    // Prepared, not run: DuckDB binds the query and reports its result types without materialising it.
    const extracted = await this.native(() => this.connection.extractStatements(sql));
    const prepared = await this.native(() => extracted.prepare(extracted.count - 1));
    try {
      return Array.from({ length: prepared.columnCount }, (_, i) => {
        const type = prepared.columnType(i);
        return { name: prepared.columnName(i), nativeType: type.alias ?? type.toString() };
      });
    } finally {
      prepared.destroySync();
    }
  }

  checkReadOnly(sql: string, what: string, explain: boolean): Promise<void> {
    return this.native(() => checkReadOnly(this.connection, sql, what, { explain, readOnly: this.readOnly }));
  }

  async release(discard: boolean): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.signal.removeEventListener("abort", this.onAbort);
    if (!discard && !this.signal.aborted) return this.pool.giveBack(this.connection);
    // Closed only once the native call has settled: closing under a running statement blocks.
    void this.pending.finally(() => this.pool.drop(this.connection));
  }
}

/** The DuckDB driver: a pool per database file, opened on first use. */
export class DuckDbDriver implements Driver {
  readonly engine = "DuckDB";
  readonly errors = ERRORS;
  private readonly pools = new Map<string, Promise<Pool>>();
  private closed = false;

  constructor(private readonly settings: EngineSettings) {}

  private pool(path: string): Promise<Pool> {
    let pool = this.pools.get(path);
    if (!pool) {
      if (path !== ":memory:" && this.settings.readOnly && !existsSync(path)) {
        // Opening read-only must not create the file: say which file is missing instead.
        return Promise.reject(
          new BackendError("BACKEND_OBJECT_NOT_FOUND", `The DuckDB database file ${path} does not exist`, {
            expected: "a database file made by the pipeline under test",
            fix: "Check the backend option database (default warehouse/{domain}_{stage}.duckdb) and the stage name.",
          }),
        );
      }
      pool = Pool.open(path, this.settings);
      pool.catch(() => this.pools.delete(path));
      this.pools.set(path, pool);
    }
    return pool;
  }

  async open(target: SessionTarget, signal: AbortSignal): Promise<DriverSession> {
    if (this.closed) throw closedError("duckdb");
    const pool = await this.pool(target.database);
    const connection = await pool.acquire(target.schema);
    return new DuckDbSession(pool, connection, signal, this.settings.readOnly);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.then((pool) => pool.close(), () => undefined)));
  }
}
