// A private PostgreSQL cluster for tests that stop, break or lock down a server: initdb into a
// temporary folder, start on a free port, stop or kill it, remove the folder. The shared server
// on 5432 is never touched. As root, the server binaries run as the `postgres` OS user.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The folder holding initdb and pg_ctl, or undefined when no server binaries are installed. */
export const PG_BIN: string | undefined = (() => {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, "bin")).find((bin) => existsSync(join(bin, "initdb")));
})();

/** Why throwaway-cluster tests are skipped, or false when they can run. */
export const NO_BINARIES: string | false = PG_BIN ? false : "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) are not installed";

export interface ThrowawayCluster {
  host: string;
  port: number;
  /** Superuser of the cluster. */
  user: string;
  /** Stops the server: "immediate" kills it without a checkpoint, like a crash. */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  /** Stops it if running and deletes its folder. */
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const isRoot = process.getuid?.() === 0;

async function asServerUser(file: string, args: string[]): Promise<void> {
  if (isRoot) await run("runuser", ["-u", "postgres", "--", file, ...args]);
  else await run(file, args);
}

/**
 * Starts a cluster. With `password`, TCP connections need scram-sha-256 with that password for
 * user `postgres`; without, trust.
 */
export async function startThrowawayCluster(options: { password?: string } = {}): Promise<ThrowawayCluster> {
  if (!PG_BIN) throw new Error(NO_BINARIES || "no binaries");
  const dir = await mkdtemp(join(tmpdir(), "assay-pg-"));
  const data = join(dir, "data");
  if (isRoot) {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    await chown(dir, uid, gid);
  }
  await chmod(dir, 0o700);
  const initArgs = ["-D", data, "-U", "postgres", "--no-sync", "--auth-local=trust"];
  if (options.password !== undefined) {
    const pwfile = join(dir, "pwfile");
    await writeFile(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (isRoot) await run("chown", ["postgres", pwfile]);
    initArgs.push("--auth-host=scram-sha-256", `--pwfile=${pwfile}`);
  } else {
    initArgs.push("--auth-host=trust");
  }
  await asServerUser(join(PG_BIN, "initdb"), initArgs);
  const port = await freePort();
  const pgCtl = join(PG_BIN, "pg_ctl");
  await asServerUser(pgCtl, ["-D", data, "-l", join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  const watchdog = startWatchdog({ parentPid: process.pid, pgCtl, data, dir, asServerUser: isRoot });
  let running = true;
  const stop = async (mode: "fast" | "immediate" = "fast"): Promise<void> => {
    if (!running) return;
    running = false;
    await asServerUser(pgCtl, ["-D", data, "-m", mode, "-w", "stop"]).catch(() => undefined);
  };
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    stop,
    async remove() {
      await stop("immediate");
      await rm(dir, { recursive: true, force: true });
      watchdog.kill();
    },
  };
}

/**
 * The server must not outlive the test process, even when the test runner is killed (SIGKILL
 * runs no cleanup: a cluster once outlived its test by 31 minutes). A detached watchdog polls
 * this process's pid once a second; when it is gone, it stops the server (immediate) and
 * removes the folder, then exits. remove() ends the watchdog when the test cleans up itself.
 */
export function startWatchdog(options: { parentPid: number; pgCtl: string; data: string; dir: string; asServerUser: boolean }): ChildProcess {
  const { parentPid, pgCtl, data, dir } = options;
  const script = `
    const { execFileSync } = require("node:child_process");
    const { rmSync } = require("node:fs");
    const [parent, pgCtl, data, dir, asRoot] = process.argv.slice(1);
    const alive = () => { try { process.kill(Number(parent), 0); return true; } catch (e) { return e.code === "EPERM"; } };
    setInterval(() => {
      if (alive()) return;
      const stop = ["-D", data, "-m", "immediate", "-w", "stop"];
      try { asRoot === "1" ? execFileSync("runuser", ["-u", "postgres", "--", pgCtl, ...stop], { stdio: "ignore" }) : execFileSync(pgCtl, stop, { stdio: "ignore" }); } catch {}
      try { rmSync(dir, { recursive: true, force: true }); } catch {}
      process.exit(0);
    }, 1000);
  `;
  const child = spawn(process.execPath, ["-e", script, String(parentPid), pgCtl, data, dir, options.asServerUser ? "1" : "0"], { detached: true, stdio: "ignore" });
  child.unref();
  return child;
}
