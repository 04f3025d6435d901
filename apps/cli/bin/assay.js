#!/usr/bin/env node
// The `assay` command. Committed as plain JavaScript so that package managers can link it
// before the TypeScript build exists (a fresh clone links bins at install, then builds).
try {
  await import("../dist/bin.js");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/bin.js")) {
    console.error("assay is not built yet: run `pnpm build` in the repository first.");
    process.exitCode = 2;
  } else {
    throw error;
  }
}
