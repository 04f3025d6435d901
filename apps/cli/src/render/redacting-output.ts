import type { Redactor } from "@assay/core";

/**
 * Routes everything written to stdout and stderr through the redactor, whoever writes it (our
 * renderers, commander, notifier plugins, a plugin's console.log): secrets read from the
 * environment must never reach the terminal or a CI log. Returns a function that undoes it.
 */
export function redactProcessOutput(current: () => Redactor): () => void {
  const streams = [process.stdout, process.stderr];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the stream as `this`
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index]!;
    const write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const text = typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : String(chunk);
      const [encodingOrCallback, callback] = rest;
      const done = (typeof encodingOrCallback === "function" ? encodingOrCallback : callback) as ((error?: Error | null) => void) | undefined;
      return original.call(this, current().redact(text), "utf8", done);
    };
    stream.write = write;
  });
  return () => {
    streams.forEach((stream, index) => {
      stream.write = originals[index]!;
    });
  };
}
