import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startWatchdog } from "./throwaway-cluster.js";

/**
 * A throwaway cluster must stop when the process that started it dies without cleaning up
 * (a killed test runner). The watchdog is exercised with a stand-in pg_ctl that records how it
 * was called, and a stand-in parent killed with SIGKILL: no server binaries needed.
 */
it("stops the server and removes its folder when the process that started it is killed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "assay-watchdog-"));
  const record = join(mkdtempSync(join(tmpdir(), "assay-watchdog-record-")), "pg_ctl.args");
  const pgCtl = join(dir, "pg_ctl");
  writeFileSync(pgCtl, `#!/bin/sh\necho "$@" > ${record}\n`);
  chmodSync(pgCtl, 0o755);
  const parent = spawn(process.execPath, ["-e", "setInterval(() => undefined, 1000)"], { stdio: "ignore" });
  const watchdog = startWatchdog({ parentPid: parent.pid!, pgCtl, data: join(dir, "data"), dir, asServerUser: false });
  try {
    // While the parent lives, nothing happens.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(record)).toBe(false);
    parent.kill("SIGKILL");
    // The watchdog polls once a second; wait for its answer (the test's timeout bounds a hang).
    const exited = new Promise((resolve) => watchdog.on("exit", resolve));
    await exited;
    expect(readFileSync(record, "utf8").trim()).toBe(`-D ${join(dir, "data")} -m immediate -w stop`);
    expect(existsSync(dir)).toBe(false);
  } finally {
    parent.kill("SIGKILL");
    watchdog.kill();
  }
});
