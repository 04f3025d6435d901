import { createClient, type ClickHouseClient } from "@clickhouse/client";
import { PluginError } from "@assay/ports";
import type * as ChdbModule from "chdb";

/** What one session runs its statements on, given back when the session ends. */
export interface Channel {
  /** Runs one statement in `database`; yields parsed lines in batches (`streamed`: as they come, else at once). */
  lines(sql: string, params: Record<string, string>, database: string, settings: Record<string, string | number>, signal: AbortSignal, streamed: boolean): AsyncIterable<unknown[][]>;
  release(): void;
}

/**
 * How statements reach ClickHouse: a server over HTTP, or chDB in process. Both return
 * JSONCompactEachRowWithNamesAndTypes lines (names, types, then rows), so one driver and one
 * dialect sit above both. Settings travel with each statement.
 */
export interface Transport {
  /** A channel for one session; sessions run side by side on their own channels. */
  channel(): Promise<Channel>;
  close(): Promise<void>;
}

/** A server: one client per database (HTTP is stateless; the database is a client setting). */
export class ServerTransport implements Transport {
  private readonly clients = new Map<string, ClickHouseClient>();
  constructor(private readonly url: string, private readonly timeoutMs: number) {}

  private client(database: string): ClickHouseClient {
    const client = this.clients.get(database) ?? createClient({ url: this.url, database, request_timeout: this.timeoutMs + 5_000, application: "assay" });
    this.clients.set(database, client);
    return client;
  }

  private async *lines(sql: string, params: Record<string, string>, database: string, settings: Record<string, string | number>, signal: AbortSignal): AsyncGenerator<unknown[][]> {
    // Results stream either way. Closing the HTTP request (abort, deadline) cancels the query on the server.
    const clickhouse_settings = { ...settings, cancel_http_readonly_queries_on_client_close: 1 as const };
    const result = await this.client(database).query({ query: sql, format: "JSONCompactEachRowWithNamesAndTypes", query_params: params, clickhouse_settings, abort_signal: signal });
    for await (const rows of result.stream()) yield (rows as Array<{ json(): unknown[] }>).map((r) => r.json());
  }

  channel = (): Promise<Channel> => Promise.resolve({ lines: (sql, params, database, settings, signal) => this.lines(sql, params, database, settings, signal), release: () => undefined });

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}

type Chdb = typeof ChdbModule;
type ChdbSession = InstanceType<Chdb["Session"]>;
/** A chDB connection and the database it last USEd. */
type Connection = { session: ChdbSession; database?: string };

let statements = 0;

/**
 * chDB in process over one data directory. chDB allows many connections to one directory, each
 * with its own current database and one stream at a time, so every session gets its own (reused
 * once given back with no statement running). chDB cannot interrupt a running call (its signal
 * only settles the promise early), so an abort kills the statement from a second connection:
 * KILL QUERY, found by a marker comment in its text, retried until the statement ends.
 */
export class EmbeddedTransport implements Transport {
  private chdb: Promise<Chdb> | undefined;
  private readonly idle: Connection[] = [];
  private readonly open = new Set<ChdbSession>();
  private killer: ChdbSession | undefined;
  constructor(private readonly path: string) {}

  private load(): Promise<Chdb> {
    this.chdb ??= import("chdb").catch((cause: unknown) => {
      throw new PluginError("PLUGIN_NOT_FOUND", "The clickhouse backend without a url runs embedded chDB, and the package chdb is not installed", {
        expected: "chdb (3.4 or later) installed next to @assay/backend-clickhouse, or a server url in the backend options",
        fix: "Install it (npm install chdb; about 550 MB) or set options.url to a ClickHouse server.",
        cause,
      });
    });
    return this.chdb;
  }

  private connect(chdb: Chdb): ChdbSession {
    const session = new chdb.Session(this.path);
    this.open.add(session);
    return session;
  }

  private drop(session: ChdbSession): void {
    this.open.delete(session);
    // chDB defers the teardown behind a statement still running on it.
    session.close();
  }

  async channel(): Promise<Channel> {
    const chdb = await this.load();
    const connection = this.idle.pop() ?? { session: this.connect(chdb) };
    // Reused only when every statement run on it has ended.
    let clean = true;
    return {
      lines: (...args) => {
        clean = false;
        return this.lines(connection, chdb, () => (clean = true), ...args);
      },
      release: () => void (clean && connection.session.open ? this.idle.push(connection) : this.drop(connection.session)),
    };
  }

  /** Kills the statement marked `marker` every 100 ms until it has ended (a first try may come before it is registered). */
  private kill(chdb: Chdb, marker: string, ended: () => boolean): void {
    const killer = (this.killer ??= this.connect(chdb));
    const attempt = (): void => {
      if (ended() || !killer.open) return;
      // The marker is split in the KILL's own text, so that the KILL does not match itself.
      void killer.queryAsync(`KILL QUERY WHERE position(query, concat('${marker.slice(0, 6)}', '${marker.slice(6)}')) > 0 ASYNC`).catch(() => undefined);
      setTimeout(attempt, 100).unref();
    };
    attempt();
  }

  private async *lines(connection: Connection, chdb: Chdb, ended: () => void, sql: string, params: Record<string, string>, database: string, settings: Record<string, string | number>, signal: AbortSignal, streamed: boolean): AsyncGenerator<unknown[][]> {
    const { session } = connection;
    if (connection.database !== database) {
      await session.queryAsync(`USE ${"`"}${database.replaceAll("`", "``")}${"`"}`);
      connection.database = database;
    }
    const clause = Object.entries(settings).map(([k, v]) => `${k} = ${typeof v === "number" ? v : `'${v.replaceAll("'", "''")}'`}`).join(", ");
    // Every statement assay sends here is one query it wrote (user SQL only inside parentheses), so a SETTINGS clause can end it.
    const parse = (text: string): unknown[][] => text.split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line) as unknown[]);
    const marker = `assay-${process.pid}-${++statements}`;
    const statement = `/* ${marker} */ ${sql}\nSETTINGS ${clause}`;
    const format = "JSONCompactEachRowWithNamesAndTypes";
    // chDB is not given the signal, so that its calls settle only when the statement has really ended.
    let done = false;
    const onAbort = (): void => this.kill(chdb, marker, () => done);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      // chDB streams SELECTs only (not EXPLAIN); small results are read at once.
      if (!streamed) {
        const result = await session.queryBindAsync(statement, params, { format }).finally(() => (done = true));
        yield parse(result.text());
      } else {
        try {
          for await (const chunk of session.queryStreamBind(statement, params, { format })) yield parse(chunk.text());
        } catch (error) {
          done = true;
          throw error;
        }
        done = true;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      // A consumer that stopped early leaves the rest to chDB's stream cancel: not known to have ended.
      if (done) ended();
      done = true;
    }
  }

  close(): Promise<void> {
    this.idle.length = 0;
    this.killer = undefined;
    for (const session of [...this.open]) this.drop(session);
    return Promise.resolve();
  }
}
