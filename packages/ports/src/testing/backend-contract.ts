import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Backend } from "../backend.js";
import type { Coordinates } from "../values.js";
import { catalogueChecks } from "./backend-checks/catalogue.js";
import { compareChecks } from "./backend-checks/compare.js";
import { latestLoadChecks } from "./backend-checks/latest-load.js";
import { readOnlyChecks } from "./backend-checks/read-only.js";
import { scanChecks } from "./backend-checks/scan.js";
import { signalChecks } from "./backend-checks/signals.js";
import { ContractSkip, describeError, type BackendCheck, type ContractEnv, type WriteForm } from "./backend-checks/support.js";
import { valueChecks } from "./backend-checks/values.js";
import { sqlLiteral, sqlTypeName, type FixtureTypeNames } from "./fixture.js";

export interface BackendContractOptions {
  /**
   * Creates a backend whose coordinates `at` hold the contract fixtures (load them with
   * `contractFixtureSql()`). Called once for the shared backend and again for checks that need
   * their own instance (close, abort); the suite closes every backend it created.
   */
  create: () => Promise<Backend>;
  at: Coordinates;
  /** Set to a reason to report the suite as skipped (e.g. no server). */
  skip?: string | false;
  /** The engine's name, e.g. "duckdb" or "postgres": gates the suite's engine-specific write forms. */
  engine?: string;
  /** "all" (default): every CONTRACT_FIXTURES entry is loaded. "contract-table": only CONTRACT_TABLE (checks needing more skip). */
  fixtures?: "all" | "contract-table";
  /** false for a test double that ignores SQL: checks relying on executed SQL skip. Default true. */
  sql?: boolean;
  /** Type names the engine uses where they differ from standard SQL (as given to contractFixtureSql). */
  types?: Partial<FixtureTypeNames>;
  /** Type names in CAST where they differ from `types` (as given to contractFixtureSql). */
  castTypes?: Partial<FixtureTypeNames>;
  /**
   * A read-only query that runs for minutes on this engine (e.g. a large cross join) and yields an
   * integer column `id`: the abort and deadline checks interrupt it. Without it those checks skip.
   */
  longQuery?: string;
  /** Creates a backend with the engine's per-query time limit set to `ms`. Without it the deadline checks skip. */
  createWithDeadline?: (ms: number) => Promise<Backend>;
  /** More statements the engine must refuse as writes (its own forms). */
  writeStatements?: readonly WriteForm[];
  /**
   * Checks this adapter is known to fail, by check name, with the reason: reported as skipped
   * with "KNOWN DEFECT" and the reason, never silently. A stop-gap for a defect being fixed, not a gate.
   */
  knownDefects?: Readonly<Record<string, string>>;
  /** How long an interrupted call may take before it counts as hung. Default 30 000 ms. */
  hangBoundMs?: number;
}

/** Every check of the Backend contract, in suite order. */
export function backendContractChecks(options: Pick<BackendContractOptions, "writeStatements"> = {}): BackendCheck[] {
  return [
    ...catalogueChecks,
    ...valueChecks,
    ...readOnlyChecks(options.writeStatements ?? []),
    ...signalChecks,
    ...scanChecks,
    ...compareChecks,
    ...latestLoadChecks,
  ];
}

/** The shared state of one contract run: the backends it created and its scratch folders. */
class ContractRun implements ContractEnv {
  readonly at: Coordinates;
  readonly engine: string | undefined;
  readonly fixtures: boolean;
  readonly sql: boolean;
  readonly longQuery: string | null;
  readonly extraWrites: readonly WriteForm[];
  readonly hangBoundMs: number;
  #shared: Backend | undefined;
  readonly #created: Backend[] = [];
  readonly #dirs: string[] = [];

  constructor(readonly options: BackendContractOptions) {
    this.at = options.at;
    this.engine = options.engine;
    this.fixtures = (options.fixtures ?? "all") === "all";
    this.sql = options.sql ?? true;
    this.longQuery = options.longQuery ?? null;
    this.extraWrites = options.writeStatements ?? [];
    this.hangBoundMs = options.hangBoundMs ?? 30_000;
  }

  async start(): Promise<void> {
    this.#shared = await this.fresh();
  }

  backend(): Backend {
    if (!this.#shared) throw new Error("the contract run has not started: create() failed or was not called");
    return this.#shared;
  }

  async fresh(): Promise<Backend> {
    const backend = await this.options.create();
    this.#created.push(backend);
    return backend;
  }

  async withDeadline(ms: number): Promise<Backend | null> {
    if (!this.options.createWithDeadline) return null;
    const backend = await this.options.createWithDeadline(ms);
    this.#created.push(backend);
    return backend;
  }

  obj(name: string) {
    return { ...this.at, name };
  }

  type(type: Parameters<typeof sqlTypeName>[0]): string {
    return sqlTypeName(type, { ...this.options.types, ...this.options.castTypes });
  }

  literal(value: Parameters<typeof sqlLiteral>[0], type: Parameters<typeof sqlLiteral>[1]): string {
    return sqlLiteral(value, type, { ...this.options.types, ...this.options.castTypes });
  }

  async scratchDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "assay-contract-"));
    this.#dirs.push(dir);
    return dir;
  }

  /** Why a check cannot run on this adapter, or null. */
  gate(check: BackendCheck): string | null {
    if (check.needs?.includes("fixtures") && !this.fixtures) {
      return "needs the contract fixtures beyond CONTRACT_TABLE; this adapter loads only CONTRACT_TABLE (fixtures: \"contract-table\")";
    }
    if (check.needs?.includes("sql") && !this.sql) return "relies on executed SQL; this backend declares that it ignores SQL (sql: false)";
    const defect = this.options.knownDefects?.[check.name];
    return defect ? `KNOWN DEFECT of this adapter, to fix: ${defect}` : null;
  }

  /** Closes every backend (a backend stuck in an ignored abort gets the hang bound, not forever). */
  async stop(): Promise<void> {
    const closing = Promise.allSettled(this.#created.map((b) => b.close()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, this.hangBoundMs)))]);
    clearTimeout(timer);
    await Promise.all(this.#dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** Runs one check: resolves "passed", or "skipped" with the reason; rejects with the failure. */
async function runCheck(run: ContractRun, check: BackendCheck): Promise<{ skipped: string } | "passed"> {
  const gated = run.gate(check);
  if (gated) return { skipped: gated };
  try {
    await check.run(run);
    return "passed";
  } catch (error) {
    if (error instanceof ContractSkip) return { skipped: error.reason };
    throw error;
  }
}

/** The Backend port's contract as a vitest suite. Every backend adapter runs it on itself. */
export function describeBackendContract(name: string, options: BackendContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`Backend contract: ${name}${options.skip ? ` (skipped: ${options.skip})` : ""}`, () => {
    const run = new ContractRun(options);
    const checks = backendContractChecks(options);
    // A check may wait up to the hang bound twice (the call, then the backend's close).
    const timeout = run.hangBoundMs * 2 + 30_000;
    beforeAll(() => run.start(), timeout);
    afterAll(() => run.stop(), timeout);
    const groups = [...new Set(checks.map((c) => c.group))];
    for (const group of groups) {
      describe(group, () => {
        for (const check of checks.filter((c) => c.group === group)) {
          it(check.name, async (ctx) => {
            const outcome = await runCheck(run, check);
            if (outcome !== "passed") ctx.skip(`skipped: ${outcome.skipped}`);
          }, timeout);
        }
      });
    }
  });
}

export interface ContractOutcome {
  group: string;
  name: string;
  outcome: "passed" | "failed" | "skipped";
  /** The failure or the reason for the skip. */
  reason?: string;
}

/**
 * Runs the contract's checks as plain async functions, outside a describe: for tests of the
 * suite itself (a broken backend must fail it) and for tools that report on a backend.
 */
export async function runBackendContract(options: BackendContractOptions, only?: (check: BackendCheck) => boolean): Promise<ContractOutcome[]> {
  const run = new ContractRun(options);
  const outcomes: ContractOutcome[] = [];
  await run.start();
  try {
    for (const check of backendContractChecks(options).filter(only ?? (() => true))) {
      try {
        const outcome = await runCheck(run, check);
        outcomes.push(outcome === "passed" ? { group: check.group, name: check.name, outcome } : { group: check.group, name: check.name, outcome: "skipped", reason: outcome.skipped });
      } catch (error) {
        outcomes.push({ group: check.group, name: check.name, outcome: "failed", reason: describeError(error) });
      }
    }
  } finally {
    await run.stop();
  }
  return outcomes;
}
