import mysql, { type FieldPacket, type Pool, type PoolConnection } from "mysql2";
import type { Row } from "@assay/ports";
import { closedError, embeddable, inBatches, type Driver, type DriverSession, type ErrorRule, type ErrorTable, type NativeColumn, type Param, type SessionTarget } from "@assay/sql";
import { checkReadOnly as refuseWrites } from "./read-only.js";
import { nativeType, rowConverter } from "./values.js";

const BATCH_ROWS = 1000;

export interface MariaDbDriverSettings {
  /** Where and as whom to connect (host, port, user, password, connectTimeout). */
  connection: mysql.ConnectionOptions;
  poolSize: number;
  scrub: (text: string) => string;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EPIPE", "PROTOCOL_CONNECTION_LOST", "PROTOCOL_SEQUENCE_TIMEOUT", "ER_SERVER_SHUTDOWN", "ER_CON_COUNT_ERROR"]);

/** mysql2's error codes (server errno names and its own) → AssayError codes. */
function errorTable(settings: MariaDbDriverSettings): ErrorTable {
  const { host = "localhost", port = 3306, user } = settings.connection;
  const server = `MariaDB/MySQL at ${host}:${port}`;
  const database = (s: { target?: SessionTarget | undefined }): string => JSON.stringify(s.target?.database ?? "");
  const rules: ErrorRule[] = [
    { code: "BACKEND_AUTH", fatal: true, match: (e) => e.code === "ER_ACCESS_DENIED_ERROR" || e.code === "ER_DBACCESS_DENIED_ERROR",
      message: (e) => `${server} refused user ${JSON.stringify(user ?? "(default)")}: ${e.message}`, fix: "Check user and password in the backend options (or the url)." },
    { code: "BACKEND_UNREACHABLE", fatal: true, match: (e) => (e.code !== undefined && NETWORK_CODES.has(e.code)) || /connect ETIMEDOUT|Connection lost|closed state/i.test(e.message),
      message: (e) => `${server} is unreachable or closed the connection: ${e.message}`, fix: "Check that the server is running and that host and port in the backend options are right." },
    { code: "BACKEND_TIMEOUT", fatal: true, match: (e) => e.code === "ER_QUERY_INTERRUPTED" || e.code === "ER_STATEMENT_TIMEOUT" || e.code === "ER_QUERY_TIMEOUT",
      message: () => "The query was interrupted on the server (KILL QUERY or a statement time limit)", fix: "Raise timeoutMs in the backend options, or make the query cheaper." },
    { code: "BACKEND_READ_ONLY", fatal: false, match: (e) => e.code === "ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION" || e.code === "ER_OPTION_PREVENTS_STATEMENT",
      message: (e) => `${server} refused a statement that writes, since assay runs queries read-only: ${e.message}`, fix: "Remove the writing statement from the spec SQL." },
    { code: "BACKEND_OBJECT_NOT_FOUND", fatal: true, match: (e) => e.code === "ER_BAD_DB_ERROR", message: (_e, s) => `${server}: database ${database(s)} does not exist`,
      fix: "Create it, or correct the `database` template in the backend options (default {domain}_{stage}_{instance})." },
    { code: "BACKEND_OBJECT_NOT_FOUND", fatal: false, match: (e) => e.code === "ER_NO_SUCH_TABLE", message: (e, s) => `${e.message} (database ${database(s)})` },
    { code: "BACKEND_QUERY", fatal: false, match: () => true, message: (e, s) => `MariaDB/MySQL refused the query (database ${database(s)}): ${e.message}${e.code ? ` [${e.code}]` : ""}` },
  ];
  return { rules, scrub: settings.scrub };
}

/** One query on a connection, promisified, its rows converted by their result columns. */
function run(connection: PoolConnection, sql: string, params: readonly Param[] = []): Promise<Row[]> {
  return new Promise((resolve, reject) => connection.query({ sql, values: [...params] }, (error, rows, fields) =>
    error ? reject(error) : resolve(Array.isArray(rows) ? (rows as Array<Record<string, unknown>>).map(rowConverter(fields)) : [])));
}

/** A READ ONLY transaction on a pooled connection; on abort, KILL QUERY from a second connection, and the connection is destroyed. */
class MariaDbSession implements DriverSession {
  private broken = false;
  private released = false;
  private readonly onAbort = (): void => {
    this.broken = true;
    this.kill(this.connection.threadId);
  };

  constructor(readonly connection: PoolConnection, private readonly signal: AbortSignal, private readonly kill: (threadId: number) => void) {
    signal.addEventListener("abort", this.onAbort, { once: true });
  }

  private live(): PoolConnection {
    if (this.released) throw closedError("mariadb");
    return this.connection;
  }

  all = async (sql: string, params: readonly Param[] = []): Promise<Row[]> => run(this.live(), sql, params);

  async *stream(sql: string, params: readonly Param[] = []): AsyncGenerator<Row[]> {
    const query = this.live().query({ sql, values: [...params] });
    let convert = rowConverter(undefined);
    query.on("fields", (fields: FieldPacket[]) => (convert = rowConverter(fields)));
    let done = false;
    try {
      yield* inBatches(query.stream({ highWaterMark: BATCH_ROWS }) as AsyncIterable<Record<string, unknown>>, BATCH_ROWS, (row) => convert(row));
      done = true;
    } finally {
      // Rows not read stay on the wire: the connection cannot be reused.
      if (!done) this.broken = true;
    }
  }

  /** Result columns from a server-side PREPARE's metadata: it parses and resolves, and runs nothing (`LIMIT 0` may still run a derived table). */
  describe(sql: string): Promise<NativeColumn[]> {
    const connection = this.live();
    return new Promise((resolve, reject) => connection.prepare(embeddable(sql), (error, statement) => {
      if (error) return reject(error);
      const fields = (statement as unknown as { columns?: FieldPacket[] }).columns ?? [];
      statement.close();
      resolve(fields.map((f) => ({ name: f.name, nativeType: nativeType(f) })));
    }));
  }

  checkReadOnly = async (sql: string, what: string, explain: boolean): Promise<void> => refuseWrites(sql, what, explain);

  async release(discard: boolean): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.signal.removeEventListener("abort", this.onAbort);
    let destroy = discard || this.broken || this.signal.aborted;
    if (!destroy) await run(this.connection, "ROLLBACK").catch(() => (destroy = true));
    void (destroy ? this.connection.destroy() : this.connection.release());
  }
}

/** On mysql2: one pool; a session USEs its database. Connections are read-only for life, UTC and utf8mb4. */
export class MariaDbDriver implements Driver {
  readonly engine = "MariaDB";
  readonly errors: ErrorTable;
  /** The binary, no-pad collation of utf8mb4 on this server: MariaDB's or MySQL 8's name. */
  binaryCollation = "utf8mb4_nopad_bin";
  private pool: Pool | undefined;
  private readonly kills = new Set<Promise<void>>();
  private closed = false;
  private probed = false;

  constructor(private readonly settings: MariaDbDriverSettings) {
    this.errors = errorTable(settings);
  }

  /** BIGINT as a number when exact, else text; DECIMAL, dates and JSON as text (values.ts converts the rest). */
  private config(): mysql.ConnectionOptions {
    const exact = { supportBigNumbers: true, bigNumberStrings: false, decimalNumbers: false, dateStrings: true, jsonStrings: true };
    return { ...this.settings.connection, ...exact, charset: "UTF8MB4_BIN", multipleStatements: false };
  }

  private getPool(): Pool {
    if (this.pool) return this.pool;
    const pool = (this.pool = mysql.createPool({ ...this.config(), connectionLimit: this.settings.poolSize, maxIdle: this.settings.poolSize, idleTimeout: 10_000 }));
    pool.on("connection", (connection) => {
      // Queued before any session's statement on this connection.
      connection.query("SET SESSION TRANSACTION READ ONLY");
      // ANSI_QUOTES: the kit quotes names with double quotes (SQL standard); strings take single quotes.
      connection.query("SET time_zone = '+00:00', NAMES utf8mb4 COLLATE utf8mb4_bin, sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')");
      connection.on("error", () => undefined);
    });
    return pool;
  }

  async open(target: SessionTarget, signal: AbortSignal): Promise<DriverSession> {
    if (this.closed) throw closedError("mariadb");
    const connection = await new Promise<PoolConnection>((resolve, reject) => this.getPool().getConnection((error, c) => (error ? reject(error) : resolve(c))));
    const session = new MariaDbSession(connection, signal, (id) => this.kill(id));
    try {
      if (!this.probed) {
        const [version] = await run(connection, "SELECT version() AS v");
        this.binaryCollation = /mariadb/i.test(String(version?.v)) ? "utf8mb4_nopad_bin" : "utf8mb4_0900_bin";
        this.probed = true;
      }
      await run(connection, `USE ${mysql.escapeId(target.database)}`);
      await run(connection, "START TRANSACTION READ ONLY");
      return session;
    } catch (error) {
      await session.release(true);
      throw error;
    }
  }

  /** Kills a connection's running query from a separate short connection. */
  private kill(threadId: number | null): void {
    if (threadId === null) return;
    const connection = mysql.createConnection(this.config());
    connection.on("error", () => undefined);
    const done = new Promise<void>((resolve) => {
      connection.query(`KILL QUERY ${Number(threadId)}`, () => connection.end(() => resolve()));
    }).finally(() => this.kills.delete(done));
    this.kills.add(done);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    await Promise.allSettled([...this.kills]);
    if (!pool) return;
    // A connection still checked out (a stream nobody finishes) must not make close() hang.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
    await Promise.race([new Promise<void>((resolve) => pool.end(() => resolve())), grace]);
  }
}
