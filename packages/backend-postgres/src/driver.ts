import pg from "pg";
import Cursor from "pg-cursor";
import type { BackendError, Row } from "@assay/ports";
import { closedError, embeddable, firstKeyword, quoteIdent, readOnlyError, refusedKind, statementKinds, type Driver, type DriverSession, type ErrorRule, type ErrorTable, type NativeColumn, type Param, type SessionTarget } from "@assay/sql";
import { cellTypeParsers } from "./cell-parsers.js";
import type { ConnectionSettings } from "./options.js";

/** Session settings that make values come back in the forms the parsers expect. */
const SESSION_OPTIONS = "-c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c TimeZone=UTC";
const BATCH_ROWS = 1000;

export interface PoolSettings {
  connection: ConnectionSettings;
  poolSize: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  scrub: (text: string) => string;
}

/** Statements that are not queries; refused before they reach the server. */
const NON_QUERY_KEYWORDS = new Set([
  "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "DROP", "CREATE", "ALTER", "TRUNCATE", "COPY", "GRANT",
  "REVOKE", "COMMENT", "VACUUM", "ANALYZE", "CLUSTER", "REINDEX", "REFRESH", "LOCK", "CALL", "DO", "SET",
  "RESET", "DISCARD", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "PREPARE",
  "EXECUTE", "DEALLOCATE", "LISTEN", "NOTIFY", "UNLISTEN", "LOAD", "IMPORT", "SECURITY", "REASSIGN", "EXPLAIN",
]);

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EPIPE"]);

const refuse = (what: string, detail: string): BackendError => readOnlyError("postgres", what, detail, "a query (SELECT, VALUES, TABLE or WITH ... SELECT) that changes nothing");

/** PostgreSQL's SQLSTATEs and pg's errors → AssayError codes; secrets scrubbed from every message. */
function errorTable(settings: PoolSettings): ErrorTable {
  const { host, port, user } = settings.connection;
  const server = `PostgreSQL at ${host}:${port}`;
  const database = (s: { target?: SessionTarget | undefined }): string => JSON.stringify(s.target?.database ?? "");
  const rules: ErrorRule[] = [
    { code: "BACKEND_AUTH", fatal: true, match: (e) => e.code === "28P01" || e.code === "28000" || /password must be a string|SASL|password authentication/i.test(e.message),
      message: (e) => `${server} refused user ${JSON.stringify(user ?? "(default)")}: ${e.message}`, fix: "Check user and password in the backend options (or the environment variable they come from)." },
    { code: "BACKEND_UNREACHABLE", fatal: true,
      match: (e) => (e.code !== undefined && (NETWORK_CODES.has(e.code) || e.code.startsWith("08") || ["57P01", "57P02", "57P03"].includes(e.code))) ||
        /timeout expired|Connection terminated|connection timeout|Client has encountered a connection error|Connection closed|terminating connection/i.test(e.message),
      message: (e) => (/timeout/i.test(e.message) ? `${server} did not answer within ${settings.connectTimeoutMs} ms (connectTimeoutMs): ${e.message}` : `${server} is unreachable or closed the connection: ${e.message}`),
      fix: "Check that the server is running and that host and port in the backend options are right." },
    { code: "BACKEND_TIMEOUT", fatal: false, match: (e) => e.code === "57014", message: () => `The query ran longer than the statement timeout of ${settings.timeoutMs} ms and was cancelled`,
      fix: "Raise timeoutMs in the backend options, or make the query cheaper." },
    { code: "BACKEND_READ_ONLY", fatal: false, match: (e) => e.code === "25006" || (e.code === "0A000" && /data-modifying statement/i.test(e.message)) || /read-write mode/i.test(e.message),
      message: (e) => refuse("The server refused a statement that writes:", e.message).message, fix: "Write the test as one query that only reads." },
    // A statement that starts with DELETE, COPY, ... cannot parse as the subquery assay embeds.
    { code: "BACKEND_READ_ONLY", fatal: false, match: (e, s) => e.code === "42601" && s.userSql !== undefined && NON_QUERY_KEYWORDS.has(firstKeyword(s.userSql)),
      message: (_e, s) => refuse(`A ${firstKeyword(s.userSql ?? "")} statement`, "is not a query").message },
    { code: "BACKEND_OBJECT_NOT_FOUND", fatal: true, match: (e) => e.code === "3D000", message: (_e, s) => `${server}: database ${database(s)} does not exist`,
      fix: "Create it, or correct the `database` template in the backend options." },
    { code: "BACKEND_OBJECT_NOT_FOUND", fatal: false, match: (e) => e.code === "42P01" || e.code === "3F000", message: (e, s) => `${e.message} (database ${database(s)})` },
    { code: "BACKEND_QUERY", fatal: false, match: () => true, message: (e, s) => `PostgreSQL refused the query (database ${database(s)}): ${e.message}${e.code ? ` [SQLSTATE ${e.code}]` : ""}` },
  ];
  return { rules, scrub: settings.scrub };
}

/**
 * One read-only transaction (`BEGIN READ ONLY`, local statement_timeout and search_path) on one
 * pooled client. When the signal fires, the server is asked to cancel the running statement on a
 * separate short connection; the client is then destroyed rather than reused.
 */
class PostgresSession implements DriverSession {
  private broken = false;
  private released = false;
  private readonly onAbort = (): void => {
    this.broken = true;
    const pid = (this.client as unknown as { processID?: number }).processID;
    if (typeof pid === "number") this.cancel(pid);
  };
  // A checked-out client whose connection dies emits "error" besides failing its query; an
  // unheard event would crash the process.
  private readonly onClientError = (): void => {
    this.broken = true;
  };

  constructor(readonly client: pg.PoolClient, private readonly signal: AbortSignal, private readonly cancel: (pid: number) => void) {
    signal.addEventListener("abort", this.onAbort, { once: true });
    client.on("error", this.onClientError);
  }

  private live(): void {
    if (this.released) throw closedError("postgres");
  }

  async all(sql: string, params: readonly Param[] = []): Promise<Row[]> {
    this.live();
    return (await this.client.query<Row>({ text: sql, values: [...params] })).rows;
  }

  async *stream(sql: string, params: readonly Param[] = []): AsyncGenerator<Row[]> {
    this.live();
    const cursor = this.client.query(new Cursor<Row>(sql, [...params]));
    let done = false;
    try {
      for (;;) {
        const rows = await cursor.read(BATCH_ROWS);
        if (rows.length === 0) break;
        yield rows;
      }
      done = true;
    } finally {
      if (!done) this.broken = true;
      else await cursor.close().catch(() => (this.broken = true));
    }
  }

  /** Result columns from the server's description of `LIMIT 0`, type names by format_type. */
  async describe(sql: string): Promise<NativeColumn[]> {
    this.live();
    const { fields } = await this.client.query(`SELECT * FROM (\n${embeddable(sql)}) AS assay_q LIMIT 0`);
    if (fields.length === 0) return [];
    const types = await this.all(
      `SELECT pg_catalog.format_type(t.oid, t.mod) AS raw FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY t(oid, mod, ord) ORDER BY t.ord`,
      [`{${fields.map((f) => f.dataTypeID).join(",")}}`, `{${fields.map((f) => f.dataTypeModifier).join(",")}}`],
    );
    return fields.map((f, i) => ({ name: f.name, nativeType: String(types[i]?.raw) }));
  }

  /** The READ ONLY transaction and the subquery embedding are the guard; this names the refused kind early. */
  async checkReadOnly(sql: string): Promise<void> {
    const kinds = statementKinds(sql);
    if (kinds.length > 1 || kinds.some((k) => NON_QUERY_KEYWORDS.has(k.first) || k.writes.length > 0)) throw refuse("The SQL", `is ${refusedKind(sql)}, not one query`);
    return Promise.resolve();
  }

  /** Ends the transaction and returns the client; a client in doubt is destroyed instead. */
  async release(discard: boolean): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.signal.removeEventListener("abort", this.onAbort);
    let destroy = discard || this.broken || this.signal.aborted;
    if (!destroy) await this.client.query("ROLLBACK").catch(() => (destroy = true));
    this.client.removeListener("error", this.onClientError);
    this.client.release(destroy ? true : undefined);
  }
}

/** The PostgreSQL driver: one pg.Pool per database, created on first use, with per-pool type parsers. */
export class PostgresDriver implements Driver {
  readonly engine = "PostgreSQL";
  readonly errors: ErrorTable;
  private readonly pools = new Map<string, pg.Pool>();
  private readonly cancels = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly settings: PoolSettings) {
    this.errors = errorTable(settings);
  }

  private clientConfig(database: string): pg.ClientConfig {
    const { connection, connectTimeoutMs } = this.settings;
    return {
      host: connection.host,
      port: connection.port,
      user: connection.user,
      password: connection.password,
      database,
      ssl: connection.ssl,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
      application_name: "assay",
      options: SESSION_OPTIONS,
      // Per pool, never pg's global parsers: int8 and numeric stay exact whatever else runs in the process.
      types: cellTypeParsers(),
    };
  }

  private pool(database: string): pg.Pool {
    let pool = this.pools.get(database);
    if (pool) return pool;
    const config = this.clientConfig(database);
    // The pool waits for a free client without a deadline (the kit's deadline bounds the call);
    // only opening a connection is bounded, by connectTimeoutMs.
    class TimedClient extends pg.Client {
      constructor() {
        super(config);
      }
    }
    pool = new pg.Pool({ ...config, max: this.settings.poolSize, connectionTimeoutMillis: 0, idleTimeoutMillis: 10_000, Client: TimedClient });
    // Idle clients whose server went away emit errors; the pool drops them. Without a listener Node would crash.
    pool.on("error", () => undefined);
    this.pools.set(database, pool);
    return pool;
  }

  async open(target: SessionTarget, signal: AbortSignal): Promise<DriverSession> {
    if (this.closed) throw closedError("postgres");
    const client = await this.pool(target.database).connect();
    const session = new PostgresSession(client, signal, (pid) => this.cancel(target.database, pid));
    try {
      await client.query("BEGIN READ ONLY");
      // JIT off: assay's statements are expressions over every row, compiled anew by each parallel worker;
      // off measured faster for every one (COMPARE of identical 1M-row tables 0.48 of the floor, with JIT 0.70).
      await client.query("SELECT set_config('statement_timeout', $1, true), set_config('search_path', $2, true), set_config('jit', 'off', true)", [String(this.settings.timeoutMs), quoteIdent(target.schema)]);
      return session;
    } catch (error) {
      await session.release(true);
      throw error;
    }
  }

  /** Asks the server to cancel a backend's running statement, on a separate short connection. */
  private cancel(database: string, pid: number): void {
    const client = new pg.Client(this.clientConfig(database));
    client.on("error", () => undefined);
    const done = client
      .connect()
      .then(() => client.query("SELECT pg_cancel_backend($1)", [pid]))
      .then(() => undefined, () => undefined)
      .finally(() => client.end().catch(() => undefined))
      .finally(() => this.cancels.delete(done));
    this.cancels.add(done);
  }

  /** Ends every pool. Idempotent; never throws. */
  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled([...this.cancels]);
    // A client still checked out (a stream nobody finishes) must not make close() hang.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
    await Promise.race([Promise.allSettled(pools.map((p) => p.end())), grace]);
  }
}
