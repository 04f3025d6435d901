import { createClient, type ClickHouseClient } from "@clickhouse/client";
import { PluginError } from "@assay/ports";
import type * as ChdbModule from "chdb";

/**
 * How statements reach ClickHouse: a server over HTTP, or chDB in process. Both return
 * JSONCompactEachRowWithNamesAndTypes lines (names, types, then rows), so one driver and one
 * dialect sit above both. Settings travel with each statement.
 */
export interface Transport {
  readonly kind: "server" | "embedded";
  /** Runs one statement in `database`; yields parsed lines in batches (`streamed`: as they come, else at once). */
  lines(sql: string, params: Record<string, string>, database: string, settings: Record<string, string | number>, signal: AbortSignal, streamed: boolean): AsyncIterable<unknown[][]>;
  /** Serialises sessions where the engine holds one current database (chDB); a no-op on servers. */
  lock(): Promise<() => void>;
  close(): Promise<void>;
}

/** A server: one client per database (HTTP is stateless; the database is a client setting). */
export class ServerTransport implements Transport {
  readonly kind = "server";
  private readonly clients = new Map<string, ClickHouseClient>();
  constructor(private readonly url: string, private readonly timeoutMs: number) {}

  private client(database: string): ClickHouseClient {
    let client = this.clients.get(database);
    if (!client) {
      client = createClient({ url: this.url, database, request_timeout: this.timeoutMs + 5_000, application: "assay" });
      this.clients.set(database, client);
    }
    return client;
  }

  async *lines(sql: string, params: Record<string, string>, database: string, settings: Record<string, string | number>, signal: AbortSignal): AsyncGenerator<unknown[][]> {
    // Results stream either way. Closing the HTTP request cancels the query on the server (cancel_http_readonly_queries_on_client_close).
    const result = await this.client(database).query({ query: sql, format: "JSONCompactEachRowWithNamesAndTypes", query_params: params, clickhouse_settings: settings, abort_signal: signal });
    for await (const rows of result.stream()) yield (rows as Array<{ json(): unknown[] }>).map((r) => r.json());
  }

  lock(): Promise<() => void> {
    return Promise.resolve(() => undefined);
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}

type Chdb = typeof ChdbModule;
type ChdbSession = InstanceType<Chdb["Session"]>;

/** chDB in process over one data directory: one connection, so sessions take turns (lock). */
export class EmbeddedTransport implements Transport {
  readonly kind = "embedded";
  private session: Promise<ChdbSession> | undefined;
  private current: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  constructor(private readonly path: string) {}

  private open(): Promise<ChdbSession> {
    this.session ??= import("chdb").then(
      (chdb) => new chdb.Session(this.path),
      (cause: unknown) => {
        throw new PluginError("PLUGIN_NOT_FOUND", "The clickhouse backend without a url runs embedded chDB, and the package chdb is not installed", {
          expected: "chdb (3.x) installed next to @assay/backend-clickhouse, or a server url in the backend options",
          fix: "Install it (npm install chdb; about 550 MB) or set options.url to a ClickHouse server.",
          cause,
        });
      },
    );
    return this.session;
  }

  async lock(): Promise<() => void> {
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }

  async *lines(sql: string, params: Record<string, string>, database: string, settings: Record<string, string | number>, signal: AbortSignal, streamed: boolean): AsyncGenerator<unknown[][]> {
    const session = await this.open();
    if (this.current !== database) {
      await session.queryAsync(`USE ${"`"}${database.replaceAll("`", "``")}${"`"}`);
      this.current = database;
    }
    const clause = Object.entries(settings).map(([k, v]) => `${k} = ${typeof v === "number" ? v : `'${v.replaceAll("'", "''")}'`}`).join(", ");
    // Every statement assay sends here is one query it wrote (user SQL only inside parentheses), so a SETTINGS clause can end it.
    const parse = (text: string): unknown[][] => text.split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line) as unknown[]);
    const statement = `${sql}\nSETTINGS ${clause}`;
    const format = "JSONCompactEachRowWithNamesAndTypes";
    // chDB streams SELECTs only (not EXPLAIN); small results are read at once.
    if (!streamed) {
      yield parse((await session.queryBindAsync(statement, params, { format, signal })).text());
      return;
    }
    for await (const chunk of session.queryStreamBind(statement, params, { format, signal })) yield parse(chunk.text());
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) (await session.catch(() => null))?.close();
  }
}
