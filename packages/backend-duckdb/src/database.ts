import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BackendError } from "@assay/ports";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { toBackendError } from "./errors.js";
import { qualified } from "./sql.js";

/** Connections per database: concurrent test cases each get their own, never a shared one. */
const POOL_SIZE = 4;

export interface EngineSettings {
  readOnly: boolean;
  threads?: number | undefined;
  memoryLimit?: string | undefined;
}

/** A connection borrowed from a pool; give it back with release(), or discard() it after an interrupt. */
export interface Lease {
  readonly connection: DuckDBConnection;
  release(): void;
  discard(): void;
}

let spillCounter = 0;

/**
 * One DuckDB instance (one database file, or memory) with a small connection pool. Each
 * connection remembers which schema `USE` last selected, so unqualified names in user SQL
 * resolve to the instance's schema without rewriting the SQL.
 */
export class Database {
  private readonly idle: DuckDBConnection[] = [];
  private readonly schemaOf = new Map<DuckDBConnection, string>();
  private readonly waiters: { resolve: (c: DuckDBConnection) => void; reject: (e: unknown) => void }[] = [];
  private readonly busy = new Set<DuckDBConnection>();
  private opened = 0;
  private closed = false;

  private constructor(
    readonly label: string,
    private readonly instance: DuckDBInstance,
    readonly catalog: string,
    private readonly spillDir: string,
  ) {}

  static async open(path: string, settings: EngineSettings): Promise<Database> {
    const memory = path === ":memory:";
    // Spill files go to a private temp folder, never next to a read-only warehouse file.
    const spillDir = join(tmpdir(), `assay-duckdb-${process.pid}-${++spillCounter}`);
    const config: Record<string, string> = {
      temp_directory: spillDir,
      autoinstall_known_extensions: "false",
    };
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
    try {
      const reader = await probe.runAndReadAll("SELECT current_database()");
      const catalog = String(reader.getRows()[0]?.[0]);
      const db = new Database(memory ? "an in-memory database" : path, instance, catalog, spillDir);
      db.idle.push(probe);
      db.opened = 1;
      return db;
    } catch (error) {
      probe.closeSync();
      instance.closeSync();
      throw toBackendError(error, { what: `Opening ${path}` });
    }
  }

  /** Borrows a connection whose default schema is `schema` (null: leave it as it is). */
  async acquire(schema: string | null): Promise<Lease> {
    const connection = await this.take();
    try {
      if (schema !== null && this.schemaOf.get(connection) !== schema) {
        await connection.run(`USE ${qualified(this.catalog, schema)}`);
        this.schemaOf.set(connection, schema);
      }
    } catch (error) {
      this.giveBack(connection);
      if (/schema|catalog/i.test(String((error as Error).message))) {
        throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `Schema "${schema}" does not exist in ${this.label}`, {
          expected: "the schema the backend option `schema` names for this instance",
          fix: "Check the instance name and the duckdb backend option schema (default {instance}).",
          cause: error,
        });
      }
      throw toBackendError(error, { what: `Selecting schema ${schema}` });
    }
    let done = false;
    return {
      connection,
      release: () => {
        if (done) return;
        done = true;
        this.giveBack(connection);
      },
      discard: () => {
        if (done) return;
        done = true;
        this.drop(connection);
      },
    };
  }

  private async take(): Promise<DuckDBConnection> {
    if (this.closed) throw closedError();
    const idle = this.idle.pop();
    if (idle) {
      this.busy.add(idle);
      return idle;
    }
    if (this.opened < POOL_SIZE) {
      this.opened++;
      try {
        const connection = await this.instance.connect();
        this.busy.add(connection);
        return connection;
      } catch (error) {
        this.opened--;
        throw toBackendError(error, { what: `Connecting to ${this.label}` });
      }
    }
    return new Promise<DuckDBConnection>((resolve, reject) => {
      this.waiters.push({
        resolve: (c) => {
          this.busy.add(c);
          resolve(c);
        },
        reject,
      });
    });
  }

  private giveBack(connection: DuckDBConnection): void {
    this.busy.delete(connection);
    if (this.closed) {
      connection.closeSync();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(connection);
    else this.idle.push(connection);
  }

  /** After an interrupt the connection is closed rather than reused; a waiter gets a fresh one. */
  private drop(connection: DuckDBConnection): void {
    this.busy.delete(connection);
    this.schemaOf.delete(connection);
    this.opened--;
    try {
      connection.closeSync();
    } catch {
      // Already closed: nothing to release.
    }
    const waiter = this.waiters.shift();
    if (waiter) this.take().then(waiter.resolve, waiter.reject);
  }

  /** Closes every connection and the instance; idempotent, never throws. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(closedError());
    for (const connection of [...this.idle.splice(0), ...this.busy]) {
      try {
        if (this.busy.has(connection)) connection.interrupt();
        connection.closeSync();
      } catch {
        // Closing is best effort: the instance goes next.
      }
    }
    this.busy.clear();
    try {
      this.instance.closeSync();
    } catch {
      // Nothing more to release.
    }
    rmSync(this.spillDir, { recursive: true, force: true });
  }
}

function closedError(): BackendError {
  return new BackendError("BACKEND_CLOSED", "The duckdb backend was closed; no more queries can run on it", {
    fix: "Create a new backend; close() is called once a run has finished.",
  });
}
