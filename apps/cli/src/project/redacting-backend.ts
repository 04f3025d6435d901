import type { Backend } from "@assay/ports";
import type { Redactor } from "@assay/core";

/**
 * A backend whose errors carry no secret: a driver's message may quote its connection URL,
 * and test case summaries are stored and shown. Results, async results and streamed rows pass
 * through unchanged; only errors are redacted.
 */
export function redactingBackend(backend: Backend, redactor: Redactor): Backend {
  const redact = (error: unknown): never => {
    throw redactor.redactError(error);
  };
  return new Proxy(backend, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          redact(error);
        }
        if (result instanceof Promise) return result.catch(redact);
        if (isAsyncIterable(result)) return redactingIterable(result, redact);
        return result;
      };
    },
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" && Symbol.asyncIterator in value;
}

async function* redactingIterable<T>(source: AsyncIterable<T>, redact: (error: unknown) => never): AsyncIterable<T> {
  try {
    yield* source;
  } catch (error) {
    redact(error);
  }
}
