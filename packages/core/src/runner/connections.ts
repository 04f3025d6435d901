import { ConfigError, type Backend } from "@assay/ports";
import type { Spec } from "../model.js";
import { callWithDeadline } from "./deadline.js";
import { withBreaker } from "./backend-breaker.js";

/**
 * The run's named connections (the config's `connections:`): each created on first use,
 * shared by every test case of the run, closed when it ends. Creating and closing are bounded
 * by run.callTimeoutMs like every plugin call; a connection that failed to open fails every
 * test case that needs it with the same error, without trying again.
 */
export class Connections {
  readonly #opened = new Map<string, Promise<Backend>>();

  constructor(
    private readonly create: ((name: string) => Promise<Backend>) | undefined,
    private readonly names: readonly string[],
    private readonly timeoutMs: number,
  ) {}

  get(name: string): Promise<Backend> {
    let backend = this.#opened.get(name);
    if (!backend) {
      const create = this.create;
      backend = !this.names.includes(name)
        ? Promise.reject(new ConfigError("CONFIG_INVALID", `No connection "${name}" is declared`, { expected: `one of: ${this.names.join(", ") || "(none declared)"}`, fix: "Declare it under connections: in assay.config.yaml." }))
        : !create
          ? Promise.reject(new ConfigError("USAGE", `The connection "${name}" is declared, but this run was given no way to create connections`, { fix: "Pass runTestSet's `connections` option (the CLI does)." }))
          : callWithDeadline(() => create(name), this.timeoutMs, `The connection "${name}" (creating it)`).then((b) => withBreaker(b).backend);
      backend.catch(() => undefined);
      this.#opened.set(name, backend);
    }
    return backend;
  }

  /** Closes every connection that opened; returns the failures, by connection name. */
  async close(): Promise<Array<{ name: string; error: unknown }>> {
    const failures: Array<{ name: string; error: unknown }> = [];
    await Promise.all(
      [...this.#opened].map(async ([name, opening]) => {
        const backend = await opening.catch(() => null);
        if (!backend) return;
        await callWithDeadline(() => backend.close(), this.timeoutMs, `The connection "${name}" (closing it)`).catch((error: unknown) => failures.push({ name, error }));
      }),
    );
    this.#opened.clear();
    return failures;
  }
}

/**
 * Refuses a spec naming a connection the config does not declare, before anything runs: the
 * message names the spec file, its line and the declared names.
 */
export function checkSpecConnections(specs: readonly Spec[], names: readonly string[]): void {
  for (const spec of specs) {
    const connection = spec.type === "compare" ? spec.connection : undefined;
    if (!connection || names.includes(connection)) continue;
    throw new ConfigError("SPEC_INVALID", `The compare spec names connection "${connection}", which assay.config.yaml does not declare`, {
      where: { file: spec.path, line: 1 },
      expected: names.length ? `one of the declared connections: ${names.join(", ")}` : "a connection declared under connections: in assay.config.yaml (none is declared)",
      fix: `Declare "${connection}" under connections: (use: <backend>, options: {...}), or correct the name in the spec's first line (-- assay: connection=<name>).`,
    });
  }
}
