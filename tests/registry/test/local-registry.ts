import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { runServer } from "verdaccio";
import { userEnv } from "./scratch.js";

/** A verdaccio registry served from this process on 127.0.0.1, with its storage in a temp folder. */
export interface LocalRegistry {
  url: string;
  /** A user config for npm and pnpm: the registry and a token for it (anonymous publish is allowed). */
  npmrc: string;
  stop(): Promise<void>;
}

/** The registry npm uses on this machine: the local registry proxies everything not @assay/* to it. */
function upstreamRegistry(): string {
  try {
    const url = execFileSync("npm", ["config", "get", "registry"], { cwd: os.tmpdir(), env: userEnv(), encoding: "utf8" }).trim();
    if (/^https?:\/\//.test(url)) return url;
  } catch {
    // npm not configured: use the public registry.
  }
  return "https://registry.npmjs.org/";
}

/**
 * Starts verdaccio in this process, so that it stops with the test even when the test is
 * killed. @assay/* packages are served only from its own storage (publishable by anyone);
 * every other package is proxied from the upstream registry.
 */
export async function startLocalRegistry(): Promise<LocalRegistry> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "assay-registry-"));
  const config = {
    storage: path.join(dir, "storage"),
    auth: { htpasswd: { file: path.join(dir, "htpasswd"), max_users: -1 } },
    uplinks: { upstream: { url: upstreamRegistry(), timeout: "60s", maxage: "30m" } },
    packages: {
      "@assay/*": { access: "$all", publish: "$all", unpublish: "$all" },
      "**": { access: "$all", publish: "$all", proxy: "upstream" },
    },
    server: { keepAliveTimeout: 60 },
    max_body_size: "200mb",
    log: { type: "stdout", format: "pretty", level: "error" },
    self_path: dir,
    security: { api: { legacy: true } },
  };
  let server: Server;
  try {
    const app = (await runServer(config)) as { listen(port: number, host: string, cb: () => void): Server };
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
      s.once("error", reject);
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  const npmrc = path.join(dir, "npmrc");
  // npm refuses to publish without a token; verdaccio lets anonymous users publish @assay/*.
  await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=anonymous-publisher\n`);
  return {
    url,
    npmrc,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
