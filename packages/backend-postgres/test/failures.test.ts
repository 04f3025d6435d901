import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAssayError, type Backend } from "@assay/ports";
import plugin from "../src/index.js";
import { PostgresOptions, type PostgresOptionsInput } from "../src/options.js";
import { NO_BINARIES, startThrowawayCluster, type ThrowawayCluster } from "./throwaway-cluster.js";

const at = { domain: "payments", stage: "test", instance: "public" };

async function backendFor(options: PostgresOptionsInput): Promise<Backend> {
  return plugin.create(PostgresOptions.parse(options), { projectRoot: process.cwd(), warn: () => undefined });
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; paragraph: string }> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(isAssayError(error), `expected an AssayError, got ${String(error)}`).toBe(true);
  const e = error as Error & { code: string; toParagraph(): string };
  return { code: e.code, message: e.message, paragraph: e.toParagraph() };
}

async function freeClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("connection failures without a server", () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts TCP connections and never answers: a hung server or a black-holed network.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("reports a closed port as BACKEND_UNREACHABLE naming host and port, at once", async () => {
    const port = await freeClosedPort();
    // With a 10-minute connect timeout, only a refusal can end this within the test's timeout: "at once" by the reason.
    const backend = await backendFor({ host: "127.0.0.1", port, user: "postgres", database: "postgres", connectTimeoutMs: 600_000 });
    const f = await failure(backend.listTestObjects(at));
    expect(f.code).toBe("BACKEND_UNREACHABLE");
    expect(f.message).toContain(`127.0.0.1:${port}`);
    expect(f.message).toContain("ECONNREFUSED");
    await backend.close();
  });

  it("gives up on a server that never answers after connectTimeoutMs", async () => {
    const port = (silent.address() as { port: number }).port;
    const backend = await backendFor({ url: `postgres://postgres:hunter2secret@127.0.0.1:${port}/postgres`, connectTimeoutMs: 500 });
    const f = await failure(backend.countRows({ ...at, name: "t" }));
    expect(f.code).toBe("BACKEND_UNREACHABLE");
    expect(f.message).toContain(`127.0.0.1:${port}`);
    expect(f.message).toContain("500 ms");
    expect(f.paragraph).not.toContain("hunter2secret");
    // No hang, by the reason: the message above names the 500 ms connect timeout as what ended the call.
    await backend.close();
  });
});

describe.skipIf(NO_BINARIES)(`failures of a throwaway cluster${NO_BINARIES ? ` (skipped: ${NO_BINARIES})` : ""}`, () => {
  const password = "s3cret-Pa55word";
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster({ password });
  });
  afterAll(async () => {
    await cluster?.remove();
  });

  it("connects with the right password", async () => {
    const backend = await backendFor({ host: cluster.host, port: cluster.port, user: "postgres", password, database: "postgres" });
    const rows: unknown[] = [];
    for await (const row of backend.query("SELECT 1 AS one", at)) rows.push(row);
    expect(rows).toEqual([{ one: 1 }]);
    await backend.close();
  });

  it("reports a wrong password as BACKEND_AUTH without showing the password", async () => {
    const wrong = "not-the-Pa55word";
    for (const options of [
      { host: cluster.host, port: cluster.port, user: "postgres", password: wrong, database: "postgres" },
      { url: `postgres://postgres:${wrong}@${cluster.host}:${cluster.port}/postgres` },
    ]) {
      const backend = await backendFor(options);
      const f = await failure(backend.listTestObjects(at));
      expect(f.code).toBe("BACKEND_AUTH");
      expect(f.paragraph).toContain(`${cluster.host}:${cluster.port}`);
      expect(f.paragraph).not.toContain(wrong);
      expect(f.paragraph).not.toContain(password);
      await backend.close();
    }
  });

  it("rejects promptly with BACKEND_UNREACHABLE when the server stops in the middle of a query", async () => {
    const backend = await backendFor({ host: cluster.host, port: cluster.port, user: "postgres", password, database: "postgres" });
    const running = (async () => {
      for await (const _ of backend.query("SELECT pg_sleep(60)", at)) void _;
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = cluster.stop("immediate");
    const f = await failure(running);
    await stopped;
    expect(f.code).toBe("BACKEND_UNREACHABLE");
    // No hang, by the reason: pg_sleep(60) finishing would have given a row, not BACKEND_UNREACHABLE.
    // Later calls fail the same way, fast, instead of hanging on a dead pool.
    const again = await failure(backend.countRows({ ...at, name: "t" }));
    expect(again.code).toBe("BACKEND_UNREACHABLE");
    await backend.close();
  });
});
