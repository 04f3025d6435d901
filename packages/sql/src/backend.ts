import {
  ChecksumRequest,
  ChecksumRowsRequest,
  CompareRequest,
  LoadColumns,
  type Backend,
  type BackendCapabilities,
  type CallOptions,
  type Column,
  type CompareResult,
  type Coordinates,
  type LatestLoad,
  type Row,
  type RowFilter,
  type ScanRequest,
  type ScanSource,
  type SegmentChecksum,
  type TableSchema,
  type TestObjectInfo,
  type TestObjectRef,
} from "@assay/ports";
import { checksumRowsStatement, checksumStatement, repeatedKeyStatement } from "./checksum/plan.js";
import { checksumSide } from "./checksum/side.js";
import { decodeCompare } from "./compare/decode.js";
import { portablePlan } from "./compare/plan.js";
import { resolveCompare, type SideColumn } from "./compare/resolve.js";
import { Deadline } from "./deadline.js";
import { embeddable, quoteIdent, type Dialect } from "./dialect.js";
import type { Driver, DriverSession, NativeColumn, Param, Session, SessionTarget } from "./driver.js";
import { classifyError, closedError, notFoundError } from "./errors.js";
import { readLatestLoad } from "./latest-load.js";
import { createIntrospector, type FoundObject } from "./introspector.js";
import { harmoniseType } from "./types.js";

export interface SqlBackendOptions {
  /** The backend's name in messages, e.g. "duckdb". */
  name: string;
  /** Where a call at these coordinates runs. */
  target(at: Coordinates): SessionTarget;
  /** The target in words for messages, e.g. `schema "alpha" of warehouse/d_s.duckdb`. */
  describe(at: Coordinates): string;
  /** Per-call time limit in milliseconds (preparing, running and streaming). */
  timeoutMs: number;
  /** query() runs any statement, unchecked (an engine opened writable on purpose). */
  allowWrites?: boolean;
  capabilities?: Partial<BackendCapabilities>;
}

type Work<T> = (session: Session, target: SessionTarget) => Promise<T>;

/**
 * Builds a complete Backend from a driver and a dialect. Every call opens a session at its
 * coordinates, runs under one deadline (the caller's signal or the time limit, whichever comes
 * first: the call ends then, whatever the engine does) and classifies errors through the
 * driver's table. User SQL is checked read-only, then embedded, never rewritten.
 */
export function createSqlBackend(driver: Driver, dialect: Dialect, options: SqlBackendOptions): Backend {
  const introspector = createIntrospector(dialect);
  let closed = false;
  /** Deadlines of the calls under way: close() ends them, so no call outlives its backend. */
  const live = new Set<Deadline>();
  const where = (at: Coordinates): string => `${at.domain}/${at.stage}/${at.instance}`;
  const harmonise = (columns: NativeColumn[]): SideColumn[] => columns.map((c) => ({ name: c.name, nativeType: c.nativeType, type: harmoniseType(c.nativeType, dialect.types) }));

  /** One call: its deadline, its session once open, and whether that session must be discarded. */
  function begin(at: Coordinates, what: string, call: CallOptions | undefined, userSql?: string) {
    const deadline = new Deadline(options.timeoutMs, call?.signal, what);
    live.add(deadline);
    const target = options.target(at);
    const state = { session: undefined as DriverSession | undefined, discard: false };
    return {
      deadline,
      target,
      async open(): Promise<DriverSession> {
        if (closed) throw closedError(options.name);
        const opening = driver.open(target, deadline.signal);
        // A session that opens after the deadline went is given straight back, closed.
        opening.then((s) => (deadline.fired ? s.release(true) : undefined), () => undefined);
        return (state.session = await deadline.race(opening));
      },
      /** The error the call ends with: the deadline's once it fired, else the driver's table's. */
      failed(error: unknown): unknown {
        state.discard = true;
        if (deadline.fired) return deadline.error();
        if (closed) return closedError(options.name);
        const classified = classifyError(error, driver.errors, driver.engine, { what, userSql, target });
        state.discard = classified.fatal;
        return classified.error;
      },
      async end(discard = false): Promise<void> {
        deadline.dispose();
        live.delete(deadline);
        await state.session?.release(state.discard || discard);
      },
    };
  }

  async function run<T>(at: Coordinates, what: string, call: CallOptions | undefined, work: Work<T>, userSql?: string): Promise<T> {
    const c = begin(at, what, call, userSql);
    try {
      return await c.deadline.race(work(await c.open(), c.target));
    } catch (error) {
      throw c.failed(error);
    } finally {
      await c.end();
    }
  }

  async function* stream(at: Coordinates, what: string, call: CallOptions | undefined, build: Work<{ sql: string; params?: Param[] }>, userSql?: string): AsyncGenerator<Row> {
    const c = begin(at, what, call, userSql);
    let rows: AsyncIterator<Row[]> | undefined;
    let done = false;
    try {
      const session = await c.open();
      const statement = await c.deadline.race(build(session, c.target));
      rows = session.stream(statement.sql, statement.params)[Symbol.asyncIterator]();
      for (let batch = await c.deadline.race(rows.next()); !batch.done; batch = await c.deadline.race(rows.next())) yield* batch.value;
      done = true;
    } catch (error) {
      throw c.failed(error);
    } finally {
      // Stopped early: the statement is freed before the session goes back. Cancelled: without
      // waiting for the pending batch (the driver discards the connection once it settles).
      const closing = done ? undefined : rows?.return?.().catch(() => undefined);
      if (closing && !c.deadline.fired) await closing;
      await c.end(!done && c.deadline.fired);
    }
  }

  async function resolve(session: Session, target: SessionTarget, ref: TestObjectRef): Promise<FoundObject> {
    const found = await introspector.find(session, target, ref.name, false);
    if (found) return found;
    throw notFoundError(`No table or view "${ref.name}" in ${options.describe(ref)} (${where(ref)})`, "Check the object name (assay list objects shows what exists) and the stage and instance of the run.");
  }

  /** The checked body of user SQL that is embedded (COMPARE, scan): one query, read-only. */
  async function embedded(session: Session, sql: string, what: string): Promise<string> {
    await session.checkReadOnly(sql, what, false);
    return embeddable(sql);
  }

  /** The rows of a scan or checksum: an object's table reference or the checked user query, and its columns' types. */
  async function sourceOf(s: Session, t: SessionTarget, at: Coordinates, source: ScanSource): Promise<{ from: string; types: SideColumn[] }> {
    if (source.kind === "object") {
      const found = await resolve(s, t, { ...at, name: source.name });
      return { from: found.sql, types: harmonise(await introspector.columns(s, t, found)) };
    }
    return { from: `(\n${await embedded(s, source.sql, "The scanned query")})`, types: harmonise(await s.describe(source.sql)) };
  }
  const sourceName = (source: ScanSource): string => (source.kind === "object" ? source.name : "the expected query");

  const backend: Backend = {
    capabilities: {
      primaryKeys: true,
      partitioning: introspector.layout !== undefined,
      clustering: introspector.layout !== undefined,
      compare: true,
      sampledCompare: dialect.sampleCondition !== undefined,
      orderedScan: true,
      latestLoad: true,
      checksum: dialect.checksum !== undefined,
      ...options.capabilities,
    },

    listTestObjects(at: Coordinates, call?: CallOptions): Promise<TestObjectInfo[]> {
      return run(at, `Listing the test objects of ${where(at)}`, call, (s, t) => introspector.list(s, t));
    },

    exists(object: TestObjectRef, call?: CallOptions): Promise<boolean> {
      return run(object, `Looking up ${object.name}`, call, async (s, t) => (await introspector.find(s, t, object.name, true)) !== null);
    },

    hasRows(object: TestObjectRef, call?: CallOptions): Promise<boolean> {
      return run(object, `Reading one row of ${object.name}`, call, async (s, t) => {
        const found = await resolve(s, t, object);
        return (await s.all(`SELECT 1 AS one FROM ${found.sql} LIMIT 1`)).length > 0;
      });
    },

    getSchema(object: TestObjectRef, call?: CallOptions): Promise<TableSchema> {
      return run(object, `Reading the schema of ${object.name}`, call, async (s, t) => {
        const found = await resolve(s, t, object);
        const columns: Column[] = harmonise(await introspector.columns(s, t, found)).map((c) => ({ name: c.name, rawType: c.nativeType, type: c.type }));
        // An engine without declared keys (capability off) reports null, as the port says, not an empty key.
        const primaryKeys = backend.capabilities.primaryKeys ? await introspector.primaryKeys(s, t, found) : null;
        const layout = introspector.layout ? await introspector.layout(s, t, found) : { partitioning: null, clustering: null };
        return { columns, primaryKeys, ...layout };
      });
    },

    getQuerySchema(sql: string, at: Coordinates, call?: CallOptions): Promise<Column[]> {
      const what = `The query at ${where(at)}`;
      return run(at, `Reading the columns of a query at ${where(at)}`, call, async (s) => {
        await s.checkReadOnly(sql, what, false);
        return harmonise(await s.describe(sql)).map((c) => ({ name: c.name, rawType: c.nativeType, type: c.type }));
      }, sql);
    },

    countRows(object: TestObjectRef, filters: RowFilter[] = [], call?: CallOptions): Promise<number> {
      return run(object, `Counting the rows of ${object.name}`, call, async (s, t) => {
        const found = await resolve(s, t, object);
        const params: Param[] = [];
        const conditions = filters.map((f) => (f.value === null ? `${quoteIdent(f.column)} IS NULL` : `${quoteIdent(f.column)} = ${dialect.param(params.push(f.value))}`));
        const rows = await s.all(`SELECT count(*) AS n FROM ${found.sql}${conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""}`, params);
        return Number(rows[0]?.n ?? 0);
      });
    },

    query(sql: string, at: Coordinates, call?: CallOptions): AsyncIterable<Row> {
      const what = `The query at ${where(at)}`;
      return stream(at, what, call, async (s) => {
        if (!options.allowWrites) await s.checkReadOnly(sql, what, true);
        return { sql: dialect.userQuery ? dialect.userQuery(sql) : sql };
      }, sql);
    },

    scan(request: ScanRequest, call?: CallOptions): AsyncIterable<Row> {
      const source = request.source;
      const what = `Scanning ${source.kind === "object" ? source.name : "a query"} at ${where(request.at)}`;
      return stream(request.at, what, call, async (s, t) => {
        const { from, types } = await sourceOf(s, t, request.at, source);
        const typeOf = (name: string): string => (types.find((c) => c.name === name) ?? types.find((c) => c.name.toLowerCase() === name.toLowerCase()))?.type ?? "";
        const columns = request.columns?.length ? request.columns.map(quoteIdent).join(", ") : "*";
        return { sql: `SELECT ${columns} FROM ${from}${source.kind === "query" ? " AS __assay_scan" : ""} ORDER BY ${request.orderBy.map((c) => dialect.orderTerm(quoteIdent(c), typeOf(c))).join(", ")}` };
      }, source.kind === "query" ? source.sql : undefined);
    },

    compare(input: CompareRequest, call?: CallOptions): Promise<CompareResult> {
      const request = CompareRequest.parse(input);
      const what = `COMPARE of ${request.object} at ${where(request.at)}`;
      return run(request.at, what, call, async (session, at) => {
        const expectedBody = await embedded(session, request.expectedSql, `The expected query of ${request.object}`);
        const expected = harmonise(await session.describe(request.expectedSql));
        const object = await resolve(session, at, { ...request.at, name: request.object });
        const plan = resolveCompare(request, expected, harmonise(await introspector.columns(session, at, object)), dialect);
        const rows = await (dialect.comparePlanner ?? portablePlan)({ session, dialect, plan, expectedBody, object, at });
        return decodeCompare(rows, plan);
      }, request.expectedSql);
    },

    checksum(input: ChecksumRequest, call?: CallOptions): Promise<SegmentChecksum[]> {
      const request = ChecksumRequest.parse(input);
      const what = `Checksums of ${sourceName(request.source)} at ${where(request.at)}`;
      return run(request.at, what, call, async (s, t) => {
        const { from, types } = await sourceOf(s, t, request.at, request.source);
        const side = checksumSide(dialect, from, types, request, what);
        // Counting duplicates groups every key by its md5 (a third of the statement at 1M rows): only where some key repeats.
        // The check reads the whole source, so only the whole-source level runs it: within segments a caller asks for
        // duplicates only after that level found some.
        const duplicates = request.countDuplicates && (request.within !== null || (await s.all(repeatedKeyStatement(side))).length > 0);
        const rows = await s.all(checksumStatement(side, request.bits, request.within, duplicates));
        return rows.map((r) => ({ segment: Number(r.seg), rows: Number(r.n), duplicateKeys: Number(r.dups), sum: String(r.s) }));
      }, request.source.kind === "query" ? request.source.sql : undefined);
    },

    checksumRows(input: ChecksumRowsRequest, call?: CallOptions): AsyncIterable<Row> {
      const request = ChecksumRowsRequest.parse(input);
      const what = `Canonical rows of ${sourceName(request.source)} at ${where(request.at)}`;
      return stream(request.at, what, call, async (s, t) => {
        const { from, types } = await sourceOf(s, t, request.at, request.source);
        return { sql: checksumRowsStatement(checksumSide(dialect, from, types, request, what), request.within) };
      }, request.source.kind === "query" ? request.source.sql : undefined);
    },

    latestLoad(object: TestObjectRef, columns: Partial<LoadColumns> = {}, call?: CallOptions): Promise<LatestLoad> {
      const load = LoadColumns.parse(columns);
      return run(object, `Reading the latest load of ${object.name}`, call, async (s, t) => {
        return readLatestLoad(s, dialect, await resolve(s, t, object), load);
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const deadline of live) deadline.end(closedError(options.name));
      await driver.close().catch(() => undefined);
    },
  };
  return backend;
}
