import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AssayConfig, ResolvedDomain } from "../../src/config/schema.js";
import { DEFAULT_RAW_FILES_SETTINGS } from "../../src/rawfiles/settings.js";

/** A resolved config as the loader would produce it: one domain `payments`, stages test (alpha, beta) and uat (main). */
export function makeConfig(overrides: { root?: string; domain?: Partial<ResolvedDomain>; run?: Partial<AssayConfig["run"]> } = {}): AssayConfig {
  const root = overrides.root ?? mkdtempSync(join(tmpdir(), "assay-core-"));
  const payments: ResolvedDomain = {
    name: "payments",
    backend: { use: "dummy", options: {} },
    stages: { test: ["alpha", "beta"], uat: ["main"] },
    specs: { test: join(root, "specs/payments/test"), uat: join(root, "specs/payments/uat") },
    compare: { tolerance: { default: 0, columns: {} }, maxDiffRows: 100 },
    schema: { requireDeclaredKeys: false },
    ...overrides.domain,
  };
  return {
    file: join(root, "assay.config.yaml"),
    root,
    plugins: [],
    backend: { use: "dummy", options: {} },
    connections: {},
    storage: { location: "memory:results", options: {} },
    format: "json",
    notifiers: [],
    reporters: [],
    run: { concurrency: 4, timeoutMs: 60_000, callTimeoutMs: 60_000, ...overrides.run },
    testsets: "testsets",
    rawFiles: DEFAULT_RAW_FILES_SETTINGS,
    domains: { payments },
  };
}
