import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

it("docs/configuration.md is what scripts/config-docs.mjs generates from the schemas (run pnpm run docs:config when this fails)", async () => {
  const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, ["scripts/config-docs.mjs", "--check"], { cwd: REPO_ROOT }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stderr }),
    );
  });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
});
