import pg from "pg";
import { BackendError } from "@assay/ports";
import { cellTypeParsers } from "./cell-parsers.js";
import { abortedError, toBackendError, type ErrorContext } from "./errors.js";
import type { ConnectionSettings } from "./options.js";
import { quoteIdent } from "./sql.js";

/** Session settings that make values come back in the forms the parsers expect. */
const SESSION_OPTIONS = "-c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c TimeZone=UTC";

export interface PoolSettings {
  connection: ConnectionSettings;
  poolSize: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  scrub: (text: string) => string;
}

/**
 * One read-only transaction on one pooled client. Every call runs in `BEGIN READ ONLY` with a
 * local statement_timeout and search_path; aborting the signal cancels the running statement on
 * the server and rejects at once.
 */
export class Session {
  private broken = false;
  private ended = false;
  private readonly onAbort: () => void;

  constructor(
    readonly client: pg.PoolClient,
    private readonly signal: AbortSignal | undefined,
    private readonly context: ErrorContext,
    cancel: (pid: number) => void,
  ) {
    this.onAbort = () => {
      this.broken = true;
      const pid = (client as unknown as { processID?: number }).processID;
      if (typeof pid === "number") cancel(pid);
    };
    signal?.addEventListener("abort", this.onAbort, { once: true });
    // A checked-out client whose connection dies emits "error" besides failing its query;
    // the query's rejection reports it, and an unheard event would crash the process.
    client.on("error", this.onClientError);
  }

  private readonly onClientError = (): void => {
    this.broken = true;
  };

  /** Awaits a pg promise, rejecting as soon as the signal aborts; errors become BackendErrors. */
  async run<T>(work: Promise<T>, userSql?: string): Promise<T> {
    const signal = this.signal;
    work.catch(() => undefined);
    try {
      if (!signal) return await work;
      if (signal.aborted) throw abortedError(signal);
      return await new Promise<T>((resolve, reject) => {
        const abort = (): void => reject(abortedError(signal));
        signal.addEventListener("abort", abort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
      });
    } catch (error) {
      this.broken = true;
      throw this.error(error, userSql);
    }
  }

  error(error: unknown, userSql?: string): BackendError {
    if (this.signal?.aborted) return abortedError(this.signal);
    return toBackendError(error, userSql === undefined ? this.context : { ...this.context, userSql });
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = [], userSql?: string): Promise<pg.QueryResult<R>> {
    return this.run(this.client.query<R>({ text, values }), userSql);
  }

  /** Ends the transaction and returns the client; a client in doubt is destroyed instead. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.signal?.removeEventListener("abort", this.onAbort);
    if (!this.broken) {
      try {
        await this.client.query("ROLLBACK");
      } catch {
        this.broken = true;
      }
    }
    this.client.removeListener("error", this.onClientError);
    this.client.release(this.broken ? true : undefined);
  }

  markBroken(): void {
    this.broken = true;
  }
}

/** One pg.Pool per database, created on first use. */
export class ConnectionPools {
  private readonly pools = new Map<string, pg.Pool>();
  private readonly cancels = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly settings: PoolSettings) {}

  context(database: string): ErrorContext {
    const { connection, timeoutMs, connectTimeoutMs, scrub } = this.settings;
    return { host: connection.host, port: connection.port, user: connection.user, database, timeoutMs, connectTimeoutMs, scrub };
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
      types: cellTypeParsers(),
    };
  }

  private pool(database: string): pg.Pool {
    let pool = this.pools.get(database);
    if (pool) return pool;
    const config = this.clientConfig(database);
    // The pool waits for a free client without a deadline (calls may queue behind a long
    // COMPARE); only opening a connection is bounded, by connectTimeoutMs.
    class TimedClient extends pg.Client {
      constructor() {
        super(config);
      }
    }
    pool = new pg.Pool({ ...config, max: this.settings.poolSize, connectionTimeoutMillis: 0, idleTimeoutMillis: 10_000, Client: TimedClient });
    // Idle clients whose server went away emit errors; the pool drops them, and the next call
    // reports the problem. Without a listener Node would crash.
    pool.on("error", () => undefined);
    this.pools.set(database, pool);
    return pool;
  }

  /** Opens a read-only transaction in `database` with `schema` as the search_path. */
  async open(database: string, schema: string, signal: AbortSignal | undefined): Promise<Session> {
    const context = this.context(database);
    if (this.closed) throw new BackendError("BACKEND_CLOSED", "The postgres backend was closed; create a new one");
    if (signal?.aborted) throw abortedError(signal);
    const connecting = this.pool(database).connect();
    let client: pg.PoolClient;
    try {
      client = await (signal
        ? new Promise<pg.PoolClient>((resolve, reject) => {
            const abort = (): void => reject(abortedError(signal));
            signal.addEventListener("abort", abort, { once: true });
            connecting.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
          })
        : connecting);
    } catch (error) {
      // A client that arrives after the abort goes straight back.
      connecting.then((c) => c.release(), () => undefined);
      throw signal?.aborted ? abortedError(signal) : toBackendError(error, context);
    }
    const session = new Session(client, signal, context, (pid) => this.cancel(database, pid));
    try {
      await session.query("BEGIN READ ONLY");
      await session.query("SELECT set_config('statement_timeout', $1, true), set_config('search_path', $2, true)", [
        String(this.settings.timeoutMs),
        quoteIdent(schema),
      ]);
    } catch (error) {
      await session.end();
      throw error;
    }
    return session;
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
