import { existsSync } from "node:fs";
import { BackendError, type Row } from "@assay/ports";
import { closedError, quoteIdent, type Driver, type DriverSession, type ErrorTable, type NativeColumn, type Param, type SessionTarget } from "@assay/sql";
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBPreparedStatement } from "@duckdb/node-api";
import { checkReadOnly } from "./read-only.js";
import { toCellValue } from "./values.js";

/*
 * The one file that talks to the engine's client library, here @duckdb/node-api (an embedded
 * engine, so that the contract suite runs with no server). Adapting another engine means
 * replacing the DuckDB calls below with your client's while keeping what each method promises
 * (Driver and Session in @assay/sql), plus values.ts and read-only.ts, and the dialect.
 */

/** While a cancelled call is still running, the engine is interrupted again this often (ms). */
const INTERRUPT_EVERY_MS = 25;

/**
 * The engine's errors → assay's codes: the first rule that matches wins, and `fatal` means the
 * connection cannot be trusted afterwards. An error no rule matches is BACKEND_QUERY.
 */
const ERRORS: ErrorTable = {
  rules: [
    {
      code: "BACKEND_OBJECT_NOT_FOUND",
      fatal: false,
      match: (e) => /^Catalog Error: (Table|View|Schema) with name .* does not exist/i.test(e.message),
      fix: "Check the object's name and the coordinates (stage, instance) the test runs at.",
    },
    { code: "BACKEND_TIMEOUT", fatal: true, match: (e) => /INTERRUPT Error|Interrupted/i.test(e.message) },
    { code: "BACKEND_UNREACHABLE", fatal: true, match: (e) => /FATAL Error|database has been invalidated/i.test(e.message) },
    { code: "BACKEND_READ_ONLY", fatal: false, match: (e) => /read-only mode/i.test(e.message), fix: "Write the test as a query that only reads." },
  ],
};

interface Database {
  instance: DuckDBInstance;
  /** The catalogue name DuckDB gives the file: `USE catalogue.schema` selects the schema. */
  catalog: string;
}

/** Opens a database file read-only; a missing file is named, never created empty. */
async function openDatabase(file: string): Promise<Database> {
  if (!existsSync(file)) {
    throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `The database file ${file} does not exist`, {
      expected: "one database file per domain and stage: <folder>/<domain>_<stage>.duckdb",
      fix: "Check the backend option folder and the domain and stage the test runs at.",
    });
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, { access_mode: "READ_ONLY" });
  } catch (cause) {
    throw new BackendError("BACKEND_UNREACHABLE", `DuckDB could not open ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      fix: "Check that the file is a DuckDB database and that no other program holds it open for writing.",
      cause,
    });
  }
  const probe = await instance.connect();
  try {
    const catalog = String((await probe.runAndReadAll("SELECT current_database()")).getRows()[0]?.[0]);
    return { instance, catalog };
  } finally {
    probe.closeSync();
  }
}

/**
 * One session: its own connection, closed when the session ends. When the session's signal
 * fires (the caller's abort or the deadline), the engine is interrupted at once and again until
 * the native call settles: one interrupt can land while a statement is still being prepared and
 * be lost, and the statement would then run to its end.
 */
class EngineSession implements DriverSession {
  #pending: Promise<unknown> = Promise.resolve();
  #released = false;
  readonly #onAbort = (): void => {
    this.connection.interrupt();
    const timer = setInterval(() => this.connection.interrupt(), INTERRUPT_EVERY_MS);
    void this.#pending.finally(() => clearInterval(timer));
  };

  constructor(
    readonly connection: DuckDBConnection,
    readonly signal: AbortSignal,
  ) {
    signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Every native call goes through here, so that an abort and release() know what to wait for. */
  #native<T>(work: () => Promise<T>): Promise<T> {
    if (this.#released) return Promise.reject(closedError("__NAME__"));
    if (this.signal.aborted) return Promise.reject(this.signal.reason as Error);
    const call = work();
    this.#pending = call.catch(() => undefined);
    return call;
  }

  async #prepare(sql: string, params: readonly Param[]): Promise<DuckDBPreparedStatement> {
    const prepared = await this.#native(() => this.connection.prepare(sql));
    params.forEach((value, i) => {
      // A filter value compared with a text column is bound as text (`code = 7` on a VARCHAR column).
      const text = prepared.parameterTypeId(i + 1) === DuckDBTypeId.VARCHAR && value !== null && typeof value !== "string";
      prepared.bindValue(i + 1, text ? String(value) : value);
    });
    return prepared;
  }

  async all(sql: string, params: readonly Param[] = []): Promise<Row[]> {
    const prepared = await this.#prepare(sql, params);
    try {
      return (await this.#native(() => prepared.runAndReadAll())).convertRowObjects(toCellValue);
    } finally {
      prepared.destroySync();
    }
  }

  async *stream(sql: string, params: readonly Param[] = []): AsyncGenerator<Row[]> {
    const prepared = await this.#prepare(sql, params);
    try {
      const result = await this.#native(() => prepared.stream());
      const names = result.deduplicatedColumnNames();
      // One chunk (about 2,048 rows) at a time: a large result never sits in memory.
      for (;;) {
        const chunk = await this.#native(() => result.fetchChunk());
        if (!chunk || chunk.rowCount === 0) return;
        yield chunk.convertRows(toCellValue).map((values) => Object.fromEntries(names.map((name, i) => [name, values[i] ?? null])));
      }
    } finally {
      // Also reached when the consumer stops early: the statement and its pending result go.
      prepared.destroySync();
    }
  }

  async describe(sql: string): Promise<NativeColumn[]> {
    // Prepared, never run: the engine binds the query and reports its result columns. The SQL
    // may end in `; -- a comment`: the last statement DuckDB extracts is the query.
    const extracted = await this.#native(() => this.connection.extractStatements(sql));
    const prepared = await this.#native(() => extracted.prepare(extracted.count - 1));
    try {
      return Array.from({ length: prepared.columnCount }, (_, i) => ({ name: prepared.columnName(i), nativeType: prepared.columnType(i).toString() }));
    } finally {
      prepared.destroySync();
    }
  }

  checkReadOnly(sql: string, what: string, explain: boolean): Promise<void> {
    return this.#native(() => checkReadOnly(this.connection, sql, what, explain));
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    this.signal.removeEventListener("abort", this.#onAbort);
    // Closed once its native call has settled: closing under a running statement would block.
    void this.#pending.finally(() => this.connection.closeSync());
  }
}

/** The driver: one read-only DuckDB instance per database file, opened on first use. */
export class EngineDriver implements Driver {
  readonly engine = "DuckDB";
  readonly errors = ERRORS;
  readonly #databases = new Map<string, Promise<Database>>();
  #closed = false;

  async open(target: SessionTarget, signal: AbortSignal): Promise<DriverSession> {
    if (this.#closed) throw closedError("__NAME__");
    const { instance, catalog } = await this.#database(target.database);
    const connection = await instance.connect();
    try {
      await connection.run(`USE ${quoteIdent(catalog)}.${quoteIdent(target.schema)}`);
    } catch (cause) {
      connection.closeSync();
      throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `Schema "${target.schema}" does not exist in ${target.database}`, {
        expected: "a schema named like the instance the test runs at",
        fix: "Check the instance name, or create the schema in the database file.",
        cause,
      });
    }
    return new EngineSession(connection, signal);
  }

  #database(file: string): Promise<Database> {
    let database = this.#databases.get(file);
    if (!database) {
      database = openDatabase(file);
      // A file that could not be opened is tried again by the next call, not remembered as broken.
      database.catch(() => this.#databases.delete(file));
      this.#databases.set(file, database);
    }
    return database;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const databases = [...this.#databases.values()];
    this.#databases.clear();
    // Calls still running were cancelled by the kit, which ends every call when the backend closes.
    await Promise.all(databases.map((opening) => opening.then(({ instance }) => instance.closeSync(), () => undefined)));
  }
}
