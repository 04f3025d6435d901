import { isAssayError, type AssayError, type Backend } from "@assay/ports";

/** Failures that will not go away by trying again within the same run. */
const FATAL_CODES = new Set(["BACKEND_UNREACHABLE", "BACKEND_AUTH"]);
const PROMISE_METHODS = new Set(["listTestObjects", "exists", "hasRows", "getSchema", "getQuerySchema", "countRows", "compare", "latestLoad"]);
const STREAM_METHODS = new Set(["query", "scan"]);

export interface BackendBreaker {
  backend: Backend;
  /** The first fatal failure seen, or null. */
  failure(): AssayError | null;
}

/**
 * Wraps the run's backend so that, once a call finds the server unreachable or refuses the
 * credentials, every later call fails at once with that error instead of connecting again.
 * Without it each of N test cases waits out its own connect timeout (a server that accepts
 * but never answers would hold a 300-case run for an hour) and repeats the same message.
 */
export function withBreaker(backend: Backend): BackendBreaker {
  let failure: AssayError | null = null;
  const trip = (error: unknown): never => {
    if (failure === null && isAssayError(error) && FATAL_CODES.has(error.code)) failure = error;
    throw error;
  };
  const guard = (): void => {
    if (failure !== null) throw failure;
  };
  const wrapped = new Proxy(backend, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (PROMISE_METHODS.has(property)) {
        return async (...args: unknown[]) => {
          guard();
          try {
            return await method.apply(target, args);
          } catch (error) {
            return trip(error);
          }
        };
      }
      if (STREAM_METHODS.has(property)) {
        return (...args: unknown[]) =>
          (async function* () {
            guard();
            try {
              yield* method.apply(target, args) as AsyncIterable<unknown>;
            } catch (error) {
              trip(error);
            }
          })();
      }
      return method.bind(target);
    },
  });
  return { backend: wrapped, failure: () => failure };
}
