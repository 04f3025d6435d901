import { expect } from "vitest";
import type { Backend, BackendCapabilities, CompareRequest, CompareResult, ScanRequest } from "../../backend.js";
import { CompareResult as CompareResultSchema } from "../../backend.js";
import { isAssayError } from "../../errors.js";
import type { CallOptions, CellValue, Coordinates, Row, TestObjectRef } from "../../values.js";
import type { FixtureType } from "../fixture.js";

/** What a check may use: the backend under test, its coordinates and the engine's SQL spelling. */
export interface ContractEnv {
  readonly at: Coordinates;
  /** The engine name the adapter declared (gates engine-specific statement forms). */
  readonly engine: string | undefined;
  /** Whether the adapter loaded every fixture (false: CONTRACT_TABLE only). */
  readonly fixtures: boolean;
  /** Whether the backend executes SQL (false only for test doubles that ignore it). */
  readonly sql: boolean;
  /** The backend shared by the checks (created once). */
  backend(): Backend;
  /** A new backend instance, closed when the suite ends (or by the check). */
  fresh(): Promise<Backend>;
  /** A backend whose per-query deadline is `ms`, or null when the adapter cannot make one. */
  withDeadline(ms: number): Promise<Backend | null>;
  /** A query that runs for minutes on this engine and yields an integer column `id`, or null. */
  readonly longQuery: string | null;
  /** Extra write statements the adapter wants refused. */
  readonly extraWrites: readonly WriteForm[];
  /** How long a call may take before the suite calls it hung (generous: this is no speed test). */
  readonly hangBoundMs: number;
  obj(name: string): TestObjectRef;
  /** The engine's name for a logical type (for CASTs in the suite's own SQL). */
  type(type: FixtureType): string;
  /** A typed literal in the engine's SQL. */
  literal(value: CellValue, type: FixtureType): string;
  /** An empty folder for statements that would write files (COPY, ATTACH); created per call. */
  scratchDir(): Promise<string>;
}

/** A write statement the backend must refuse; `kind` must appear in the error message. */
export interface WriteForm {
  /** The kind of statement, as the refusal should name it: `DELETE`, `COPY`, `SET`… (a list: any of them). */
  kind: string | readonly string[];
  /** Short label for the test name. */
  label: string;
  /** The statement; `{dir}` is replaced by an empty scratch folder. */
  sql: string;
  /** Engines where this form exists; absent means every engine. */
  engines?: readonly string[];
}

/** One check of the contract: a plain async function, so it can be run outside a describe. */
export interface BackendCheck {
  group: string;
  name: string;
  /** fixtures: reads fixtures beyond CONTRACT_TABLE; sql: relies on the backend executing SQL. */
  needs?: readonly ("fixtures" | "sql")[];
  run(env: ContractEnv): Promise<void>;
}

/** Thrown by a check that cannot run on this backend; the describe wrapper turns it into ctx.skip(reason). */
export class ContractSkip extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "ContractSkip";
  }
}

export function skip(reason: string): never {
  throw new ContractSkip(reason);
}

export function requireCapability(env: ContractEnv, capability: keyof BackendCapabilities): void {
  if (!env.backend().capabilities[capability]) skip(`the backend lacks the capability ${capability}`);
}

export async function compare(env: ContractEnv, request: Omit<CompareRequest, "at">, backend = env.backend(), call?: CallOptions): Promise<CompareResult> {
  requireCapability(env, "compare");
  if (!backend.compare) throw new Error("capabilities.compare is true but compare() is missing");
  return CompareResultSchema.parse(await backend.compare({ at: env.at, ...request }, call));
}

export function scan(env: ContractEnv, request: Omit<ScanRequest, "at">, backend = env.backend(), call?: CallOptions): AsyncIterable<Row> {
  requireCapability(env, "orderedScan");
  if (!backend.scan) throw new Error("capabilities.orderedScan is true but scan() is missing");
  return backend.scan({ at: env.at, ...request }, call);
}

export async function collect(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** The error a promise rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>, what: string): Promise<unknown> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`${what}: expected a rejection, got ${JSON.stringify(outcome.value)?.slice(0, 300)}`);
  // A check that cannot run (a missing capability) is not the rejection the caller waits for.
  if (outcome.error instanceof ContractSkip) throw outcome.error;
  return outcome.error;
}

export function describeError(error: unknown): string {
  if (isAssayError(error)) return `${error.constructor.name} ${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Rejects with an AssayError of that code; returns its message. */
export async function expectCode(promise: Promise<unknown>, code: string, what = "the call"): Promise<string> {
  const error = await rejection(promise, `${what} (expected ${code})`);
  expect(isAssayError(error), `${what}: expected an AssayError ${code}, got ${describeError(error)}`).toBe(true);
  expect((error as { code: string }).code, `${what}: ${describeError(error)}`).toBe(code);
  return (error as Error).message;
}

/** The port's two forms of an honoured abort: BACKEND_TIMEOUT or an AbortError. */
export function isAbortError(error: unknown): boolean {
  if (isAssayError(error)) return error.code === "BACKEND_TIMEOUT";
  return error instanceof Error && error.name === "AbortError";
}

/**
 * Waits for a call that must settle because of a signal or deadline, up to the generous hang
 * bound; fails naming the call when it is still running then (the backend ignored the signal).
 */
export async function settleWithin<T>(promise: Promise<T>, env: ContractEnv, what: string): Promise<{ value?: T; error?: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), env.hangBoundMs);
  });
  const settled = promise.then(
    (value): { value?: T; error?: unknown } => ({ value }),
    (error: unknown): { value?: T; error?: unknown } => ({ error }),
  );
  try {
    const outcome = await Promise.race([settled, hung]);
    if (outcome === "hung") throw new Error(`${what} was still running ${env.hangBoundMs} ms later: the backend ignored the signal or deadline`);
    if ("error" in outcome && outcome.error instanceof ContractSkip) throw outcome.error;
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/** The call settles (within the hang bound) with an abort error. */
export async function expectAborted(promise: Promise<unknown>, env: ContractEnv, what: string): Promise<void> {
  const outcome = await settleWithin(promise, env, what);
  expect("error" in outcome && outcome.error !== undefined, `${what}: expected it to reject on abort, it resolved`).toBe(true);
  expect(isAbortError(outcome.error), `${what}: expected BACKEND_TIMEOUT or an AbortError, got ${describeError(outcome.error)}`).toBe(true);
}

/** Code-point order (not UTF-16 code units, not a locale), NULLs first. */
export function compareCodePoints(a: string | null, b: string | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** `SELECT … UNION ALL SELECT …` of typed literals: a portable inline table for expected queries. */
export function rowsSql(env: ContractEnv, columns: readonly { name: string; type: FixtureType }[], rows: readonly Row[]): string {
  const select = (row: Row | null) =>
    `SELECT ${columns.map((c) => `${env.literal(row ? (row[c.name] ?? null) : null, c.type)} AS ${c.name}`).join(", ")}`;
  if (rows.length === 0) return `${select(null)} FROM ${CONTRACT_TABLE_NAME} WHERE 1 = 0`;
  return rows.map(select).join(" UNION ALL ");
}

const CONTRACT_TABLE_NAME = "assay_contract_orders";

/**
 * A call retried while it fails with BACKEND_TIMEOUT, at most `tries` times: under a short time
 * limit a loaded machine can make even a small call time out, which shows nothing about whether
 * the backend still answers. Any other error, and the last timeout, is thrown.
 */
export async function retryOnTimeout<T>(call: () => Promise<T>, tries = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= tries || !(isAssayError(error) && error.code === "BACKEND_TIMEOUT")) throw error;
    }
  }
}
