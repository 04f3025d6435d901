#!/usr/bin/env node
// `pnpm bench`: runs every benchmark in this folder, one child process each, so that each
// measures its own peak memory. Each prints its figures and ratios against a baseline it
// measures in the same run. Arguments after `pnpm bench --` go to every benchmark.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.env.ASSAY_BENCH; // e.g. ASSAY_BENCH=store
const files = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs")
  .filter((f) => !only || f.startsWith(only))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ["--expose-gc", join(here, file), ...process.argv.slice(2)], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
