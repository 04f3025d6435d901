import type { Backend, Coordinates, TestObjectRef } from "@assay/ports";
import type { AssayConfig, ResolvedDomain } from "../config/schema.js";
import type { Fact, SchemaSpec, Spec, SpecType, SqlSpec, StagecountSpec } from "../model.js";

export interface SpecByType {
  schema: SchemaSpec;
  compare: SqlSpec;
  rowcount: SqlSpec;
  stagecount: StagecountSpec;
}

/** What a test type sees while it runs, and how it records what it found. */
export interface TestCaseContext {
  readonly runId: string;
  readonly testCaseId: string;
  readonly entry: { object: string; type: string; scenario: string | null };
  readonly at: Coordinates;
  /** The test object at the run's coordinates. */
  readonly object: TestObjectRef;
  /** The specs matched to this test case (see specsForTestCase). */
  readonly specs: readonly Spec[];
  readonly backend: Backend;
  /** A named connection of the config (`connections:`), opened on first use and shared by the run. */
  connection(name: string): Promise<Backend>;
  readonly config: AssayConfig;
  readonly domain: ResolvedDomain;
  /** Aborted when the test case times out: pass it to every backend call. */
  readonly signal: AbortSignal;
  /** The (first) spec of a type, if any. */
  spec<T extends SpecType>(type: T): SpecByType[T] | undefined;
  /** A fact: what was tested with what (spec paths, keys, counts). */
  fact(name: string, value: Fact["value"]): void;
  /** A detail: how (queries, durations, settings). Identical details are kept once. */
  detail(name: string, value: Fact["value"]): void;
  /** A named diff (column_diff, compare_diff, ...). */
  diff(name: string, value: unknown): void;
  /** Runs and times one step: a detail "Duration of <step> (ms)" and a testcase.step event. */
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** A warning event for this test case. */
  warn(message: string): void;
  /** Ends with OK or NOK and the one-sentence reason. */
  conclude(result: "OK" | "NOK", summary: string): void;
  /** Ends N/A: a precondition discovered during execution failed (status ABORTED). */
  notApplicable(summary: string): void;
}

/**
 * A test type. Registered in a TestTypeRegistry by upper-case name; a plugin can add one.
 * `preconditions` names checks of the registry, run in order before execute(); the first that
 * fails makes the test case N/A with its message.
 */
export interface TestTypeDefinition {
  /** Upper-case canonical name, e.g. SCHEMA. */
  name: string;
  /** Spec types of which exactly one must be present. */
  requiredSpecs: SpecType[];
  /** Spec types of which at most one may be present. */
  optionalSpecs: SpecType[];
  preconditions: string[];
  /** One sentence for `assay list` and docs. */
  description?: string;
  execute(ctx: TestCaseContext): Promise<void>;
}

/** A precondition: null when it holds, else the summary of the resulting N/A. */
export type PreconditionCheck = (ctx: TestCaseContext, testType: TestTypeDefinition) => Promise<string | null>;
