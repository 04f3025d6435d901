import { expect } from "vitest";
import type { Backend } from "../../backend.js";
import type { CallOptions } from "../../values.js";
import { CONTRACT_TABLE, MANY_TABLE } from "../fixture.js";
import { collect, compare, expectAborted, expectCode, isAbortError, describeError, retryOnTimeout, scan, settleWithin, skip, type BackendCheck, type ContractEnv } from "./support.js";

const group = "signals, deadlines and close";
const orders = CONTRACT_TABLE.name;

/** One call per port method, as the lifecycle checks make it. */
interface MethodCall {
  method: string;
  needs?: "compare" | "orderedScan";
  call(backend: Backend, env: ContractEnv, options?: CallOptions): Promise<unknown>;
}

const METHOD_CALLS: readonly MethodCall[] = [
  { method: "listTestObjects", call: (b, env, o) => b.listTestObjects(env.at, o) },
  { method: "exists", call: (b, env, o) => b.exists(env.obj(orders), o) },
  { method: "hasRows", call: (b, env, o) => b.hasRows(env.obj(orders), o) },
  { method: "getSchema", call: (b, env, o) => b.getSchema(env.obj(orders), o) },
  { method: "getQuerySchema", call: (b, env, o) => b.getQuerySchema(`SELECT id FROM ${orders}`, env.at, o) },
  { method: "countRows", call: (b, env, o) => b.countRows(env.obj(orders), [], o) },
  { method: "query", call: (b, env, o) => collect(b.query(`SELECT id FROM ${orders}`, env.at, o)) },
  { method: "compare", needs: "compare", call: (b, env, o) => compare(env, { object: orders, keys: ["id"], expectedSql: `SELECT * FROM ${orders}` }, b, o) },
  { method: "scan", needs: "orderedScan", call: (b, env, o) => collect(scan(env, { source: { kind: "object", name: orders }, orderBy: ["id"] }, b, o)) },
];

function requireLongQuery(env: ContractEnv): string {
  return env.longQuery ?? skip("the adapter gives no longQuery (a query that runs for minutes), so a running call cannot be interrupted");
}

/** Aborts after `ms`, or right after the call starts when ms is 0 (while the statement is prepared). */
function abortAfter(controller: AbortController, ms: number): void {
  if (ms === 0) queueMicrotask(() => controller.abort(new Error("aborted by the contract suite")));
  else setTimeout(() => controller.abort(new Error("aborted by the contract suite")), ms);
}

/**
 * Starts the call again and again, aborting it after 0, 1, 2, … 15, 21, 34, 55 and 89 ms: some land
 * between the steps of the start-up (connection, preparation, first statements), where an abort
 * that only interrupts a running statement is lost.
 */
async function sweepAborts(env: ContractEnv, start: (signal: AbortSignal) => Promise<unknown>, what: string): Promise<void> {
  for (const ms of [...Array.from({ length: 16 }, (_, i) => i), 21, 34, 55, 89]) {
    const controller = new AbortController();
    const running = start(controller.signal);
    abortAfter(controller, ms);
    await expectAborted(running, env, `${what} aborted after ${ms} ms`);
  }
}

/** The backend still answers: a later count gives the fixture's 4 rows (a stuck backend times out every try). */
async function expectUsable(backend: Backend, env: ContractEnv): Promise<void> {
  expect(await retryOnTimeout(() => backend.countRows(env.obj(orders)))).toBe(4);
}

/** A call that runs the adapter's longQuery, for the abort checks. */
interface LongCall {
  needs?: "compare" | "orderedScan";
  what: string;
  call(backend: Backend, env: ContractEnv, sql: string, signal: AbortSignal): Promise<unknown>;
}
const LONG_QUERY: LongCall = { what: "query(long query)", call: (b, env, sql, signal) => collect(b.query(sql, env.at, { signal })) };
const LONG_COMPARE: LongCall = {
  needs: "compare",
  what: "compare(long expected query)",
  call: (b, env, sql, signal) => compare(env, { object: orders, keys: ["id"], columns: [], expectedSql: sql }, b, { signal }),
};
const LONG_SCAN: LongCall = {
  needs: "orderedScan",
  what: "scan(long query)",
  call: (b, env, sql, signal) => collect(scan(env, { source: { kind: "query", sql }, orderBy: ["id"] }, b, { signal })),
};

/** The long call aborted while prepared (ms 0) or while running; the backend stays usable. */
function abortCheck(long: LongCall, name: string, ms: 0 | 300): BackendCheck {
  return {
    group,
    name,
    needs: ["sql"],
    async run(env) {
      if (long.needs) skipWithout(env, long.needs);
      const sql = requireLongQuery(env);
      const backend = await env.fresh();
      const controller = new AbortController();
      const running = long.call(backend, env, sql, controller.signal);
      abortAfter(controller, ms);
      await expectAborted(running, env, `${long.what} aborted while ${ms === 0 ? "prepared" : "running"}`);
      await expectUsable(backend, env);
    },
  };
}

/** The long call aborted at every moment of its start-up (sweepAborts); the backend stays usable. */
function sweepCheck(long: LongCall, name: string): BackendCheck {
  return {
    group,
    name,
    needs: ["sql"],
    async run(env) {
      if (long.needs) skipWithout(env, long.needs);
      const sql = requireLongQuery(env);
      const backend = await env.fresh();
      await sweepAborts(env, (signal) => long.call(backend, env, sql, signal), long.what);
      await expectUsable(backend, env);
    },
  };
}

export const signalChecks: BackendCheck[] = [
  ...METHOD_CALLS.map<BackendCheck>((m) => ({
    group,
    name: `${m.method}: rejects a signal aborted before the call with BACKEND_TIMEOUT or an AbortError`,
    async run(env) {
      if (m.needs) skipWithout(env, m.needs);
      await expectAborted(m.call(env.backend(), env, { signal: AbortSignal.abort(new Error("aborted before the call")) }), env, `${m.method} with an aborted signal`);
      await expectUsable(env.backend(), env);
    },
  })),
  abortCheck(LONG_QUERY, "query: honours an abort that arrives while the statement is being prepared", 0),
  sweepCheck(LONG_QUERY, "query: honours an abort at any moment of its start-up (aborts swept from 0 to 89 ms)"),
  sweepCheck(LONG_COMPARE, "compare: honours an abort at any moment of its start-up (aborts swept from 0 to 89 ms)"),
  abortCheck(LONG_QUERY, "query: honours an abort while the query runs", 300),
  {
    group,
    name: "query: an abort covers the whole stream, including a slow consumer",
    needs: ["sql", "fixtures"],
    async run(env) {
      const controller = new AbortController();
      const iterator = env.backend().query(`SELECT id FROM ${MANY_TABLE.name} ORDER BY id`, env.at, { signal: controller.signal })[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      controller.abort(new Error("the consumer gave up"));
      const drained = (async () => {
        let rows = 1;
        for (;;) {
          const next = await iterator.next();
          if (next.done) return rows;
          rows++;
        }
      })();
      const outcome = await settleWithin(drained, env, "reading a stream after abort");
      expect(outcome.error !== undefined, `the stream went on to its end (${String(outcome.value)} rows) after the abort`).toBe(true);
      expect(isAbortError(outcome.error), describeError(outcome.error)).toBe(true);
      await expectUsable(env.backend(), env);
    },
  },
  {
    group,
    name: "getQuerySchema: honours an abort while it works",
    needs: ["sql"],
    async run(env) {
      const sql = requireLongQuery(env);
      const controller = new AbortController();
      const pending = env.backend().getQuerySchema(sql, env.at, { signal: controller.signal });
      abortAfter(controller, 0);
      // Describing is quick, so it may finish before the abort lands; it must not hang either way.
      const outcome = await settleWithin(pending, env, "getQuerySchema aborted");
      if (outcome.error !== undefined) expect(isAbortError(outcome.error), describeError(outcome.error)).toBe(true);
      await expectUsable(env.backend(), env);
    },
  },
  abortCheck(LONG_COMPARE, "compare: honours an abort while the comparison runs", 300),
  abortCheck(LONG_COMPARE, "compare: honours an abort that arrives while it is prepared", 0),
  abortCheck(LONG_SCAN, "scan: honours an abort while the scan runs", 300),
  {
    group,
    name: "deadline: a query past the backend's time limit rejects with BACKEND_TIMEOUT naming the limit, and the backend stays usable",
    needs: ["sql"],
    async run(env) {
      const sql = requireLongQuery(env);
      const backend = (await env.withDeadline(500)) ?? skip("the adapter gives no createWithDeadline (a backend with a short time limit)");
      const outcome = await settleWithin(collect(backend.query(sql, env.at)), env, "query(long query) under a 500 ms deadline");
      expect(outcome.error, "the long query finished under a 500 ms deadline").toBeDefined();
      expect(describeError(outcome.error)).toMatch(/BACKEND_TIMEOUT/);
      expect((outcome.error as Error).message).toContain("500 ms");
      await expectUsable(backend, env);
    },
  },
  {
    group,
    name: "deadline: COMPARE past the backend's time limit rejects with BACKEND_TIMEOUT",
    needs: ["sql"],
    async run(env) {
      skipWithout(env, "compare");
      const sql = requireLongQuery(env);
      const backend = (await env.withDeadline(500)) ?? skip("the adapter gives no createWithDeadline (a backend with a short time limit)");
      const outcome = await settleWithin(compare(env, { object: orders, keys: ["id"], columns: [], expectedSql: sql }, backend), env, "compare under a 500 ms deadline");
      expect(outcome.error, "the comparison finished under a 500 ms deadline").toBeDefined();
      expect(describeError(outcome.error)).toMatch(/BACKEND_TIMEOUT/);
      await expectUsable(backend, env);
    },
  },
  ...METHOD_CALLS.map<BackendCheck>((m) => ({
    group,
    name: `${m.method}: rejects with BACKEND_CLOSED after close()`,
    async run(env) {
      if (m.needs) skipWithout(env, m.needs);
      const backend = await env.fresh();
      await backend.close();
      await expectCode(m.call(backend, env), "BACKEND_CLOSED", `${m.method} after close()`);
    },
  })),
  {
    group,
    name: "close() is idempotent, never throws, and may be called concurrently",
    async run(env) {
      const backend = await env.fresh();
      expect(await backend.countRows(env.obj(orders))).toBe(4);
      await expect(Promise.all([backend.close(), backend.close()])).resolves.toEqual([undefined, undefined]);
      await expect(backend.close()).resolves.toBeUndefined();
    },
  },
  {
    group,
    name: "close() right after creation, before any call",
    async run(env) {
      const backend = await env.fresh();
      await expect(backend.close()).resolves.toBeUndefined();
      await expectCode(backend.countRows(env.obj(orders)), "BACKEND_CLOSED", "countRows after close()");
    },
  },
  {
    group,
    name: "answers concurrent calls of every kind correctly",
    async run(env) {
      const b = env.backend();
      const obj = env.obj(orders);
      const [counts, schema, exists, rows, hasRows] = await Promise.all([
        Promise.all(Array.from({ length: 8 }, () => b.countRows(obj))),
        b.getSchema(obj),
        Promise.all(Array.from({ length: 4 }, () => b.exists(obj))),
        Promise.all(Array.from({ length: 4 }, () => collect(b.query(`SELECT id FROM ${orders} ORDER BY id`, env.at)))),
        b.hasRows(obj),
      ]);
      expect(counts).toEqual(counts.map(() => 4));
      expect(schema.columns).toHaveLength(4);
      expect(exists).toEqual([true, true, true, true]);
      if (env.sql) for (const r of rows) expect(r.map((x) => x.id)).toEqual([1, 2, 3, 4]);
      expect(hasRows).toBe(true);
    },
  },
  {
    group,
    name: "serves two streams read in lockstep, each complete and in order",
    needs: ["sql", "fixtures"],
    async run(env) {
      const a = env.backend().query(`SELECT id FROM ${MANY_TABLE.name} ORDER BY id`, env.at)[Symbol.asyncIterator]();
      const b = env.backend().query(`SELECT id FROM ${MANY_TABLE.name} ORDER BY id DESC`, env.at)[Symbol.asyncIterator]();
      const up: unknown[] = [];
      const down: unknown[] = [];
      for (;;) {
        const [x, y] = await Promise.all([a.next(), b.next()]);
        if (!x.done) up.push(x.value.id);
        if (!y.done) down.push(y.value.id);
        if (x.done && y.done) break;
      }
      const n = MANY_TABLE.rows.length;
      expect(up).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(down).toEqual(Array.from({ length: n }, (_, i) => n - 1 - i));
    },
  },
];

function skipWithout(env: ContractEnv, capability: "compare" | "orderedScan"): void {
  if (!env.backend().capabilities[capability]) skip(`the backend lacks the capability ${capability}`);
}
