import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AssayError,
  PORTS_API_VERSION,
  definePlugin,
  exitCodeFor,
  validateManifest,
  validatePluginModule,
  validatePortInstance,
  validateStandard,
  validateStorageKey,
  schemeOf,
} from "../src/index.js";
import { REFUSED_STORAGE_KEYS } from "../src/testing/index.js";

const manifest = { apiVersion: PORTS_API_VERSION, kind: "notifier" as const, name: "memory" };
const plugin = definePlugin({
  kind: "notifier",
  name: "memory",
  apiVersion: 1,
  optionsSchema: z.object({}),
  create: async () => ({ notify: () => undefined, close: async () => undefined }),
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AssayError).code;
  }
  return undefined;
}

describe("manifest validation", () => {
  it("accepts a valid manifest", () => {
    expect(validateManifest({ name: "x", assay: manifest }, "x/package.json")).toEqual(manifest);
  });
  it("refuses a package without a manifest, a bad kind and an unsupported apiVersion", () => {
    expect(codeOf(() => validateManifest({ name: "x" }, "p"))).toBe("PLUGIN_MANIFEST_INVALID");
    expect(codeOf(() => validateManifest({ name: "x", assay: { ...manifest, kind: "reactor" } }, "p"))).toBe("PLUGIN_MANIFEST_INVALID");
    expect(codeOf(() => validateManifest({ name: "x", assay: { ...manifest, apiVersion: 99 } }, "p"))).toBe("PLUGIN_API_VERSION");
  });
  it("tells the user to upgrade assay for a newer plugin API", () => {
    try {
      validateManifest({ name: "assay-backend-x", assay: { ...manifest, apiVersion: 2 } }, "p/package.json");
    } catch (e) {
      expect((e as AssayError).toParagraph()).toMatch(/Upgrade assay/);
      expect((e as AssayError).toParagraph()).toMatch(/p\/package.json, key assay.apiVersion/);
      expect(exitCodeFor(e)).toBe(2);
    }
  });
});

describe("module and instance validation", () => {
  it("accepts a well-formed plugin module", () => {
    expect(validatePluginModule({ default: plugin }, manifest, "x")).toBe(plugin);
  });
  it("refuses a module whose default export disagrees with its manifest or lacks create", () => {
    expect(codeOf(() => validatePluginModule({}, manifest, "x"))).toBe("PLUGIN_MODULE_INVALID");
    expect(codeOf(() => validatePluginModule({ default: { ...plugin, name: "other" } }, manifest, "x"))).toBe("PLUGIN_MODULE_INVALID");
    expect(codeOf(() => validatePluginModule({ default: { ...plugin, create: undefined } }, manifest, "x"))).toBe("PLUGIN_MODULE_INVALID");
    expect(codeOf(() => validatePluginModule({ default: { ...plugin, optionsSchema: {} } }, manifest, "x"))).toBe("PLUGIN_MODULE_INVALID");
  });
  it("refuses an instance that lacks a port method, naming it", () => {
    try {
      validatePortInstance("storage", { read() {}, write() {}, exists() {}, delete() {} }, "assay-storage-x");
      expect.unreachable();
    } catch (e) {
      expect((e as AssayError).code).toBe("PLUGIN_INSTANCE_INVALID");
      expect((e as AssayError).message).toMatch(/missing method list/);
    }
  });
  it("refuses a backend declaring a capability without its method", () => {
    const caps = { primaryKeys: false, partitioning: false, clustering: false, compare: true, sampledCompare: false, orderedScan: false, latestLoad: false };
    const fn = () => undefined;
    const backend = { capabilities: caps, listTestObjects: fn, exists: fn, hasRows: fn, getSchema: fn, getQuerySchema: fn, countRows: fn, query: fn, close: fn };
    expect(codeOf(() => validatePortInstance("backend", backend, "b"))).toBe("PLUGIN_INSTANCE_INVALID");
    expect(codeOf(() => validatePortInstance("backend", { ...backend, compare: fn }, "b"))).toBeUndefined();
  });
});

describe("options through Standard Schema", () => {
  it("reports issues with their path", async () => {
    const result = await validateStandard(z.object({ pool: z.object({ max: z.number() }) }), { pool: { max: "8" } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.path).toBe("pool.max");
  });
});

describe("storage keys and schemes", () => {
  it("refuses every key in the refused list", () => {
    for (const key of REFUSED_STORAGE_KEYS) expect(codeOf(() => validateStorageKey(key)), JSON.stringify(key)).toBe("STORAGE_KEY_INVALID");
  });
  it("accepts ordinary keys", () => {
    for (const key of ["a", "runs/payments/2026-01-01/x.json", "a.b.c", "..a", "a..b"]) expect(codeOf(() => validateStorageKey(key))).toBeUndefined();
  });
  it("extracts schemes and refuses locations without one", () => {
    expect(schemeOf("file:.assay")).toBe("file");
    expect(schemeOf("memory:")).toBe("memory");
    expect(codeOf(() => schemeOf(".assay"))).toBe("STORAGE_SCHEME_UNKNOWN");
    expect(codeOf(() => schemeOf("C:\\results"))).toBe("STORAGE_SCHEME_UNKNOWN");
  });
});

describe("error paragraphs", () => {
  it("render what, where, expected and fix in one paragraph", () => {
    const e = new AssayError("CONFIG_INVALID", "Unknown backend \"pg\"", {
      where: { file: "assay.config.yaml", line: 3, column: 8, key: "backend.use" },
      expected: "one of: duckdb, dummy",
      fix: "Install it: pnpm add -D @assay/backend-pg",
    });
    expect(e.toParagraph()).toBe(
      'assay.config.yaml:3:8, key backend.use: Unknown backend "pg". Expected one of: duckdb, dummy. Install it: pnpm add -D @assay/backend-pg. [CONFIG_INVALID]',
    );
    expect(e.toParagraph()).not.toMatch(/\n/);
  });
});

describe("storage prefixes", () => {
  it("accept partial last segments and refuse escapes", async () => {
    const { validateStoragePrefix } = await import("../src/index.js");
    for (const ok of ["", "runs/", "runs/.", "runs/2026-", "a/b/c"]) expect(codeOf(() => validateStoragePrefix(ok)), ok).toBeUndefined();
    for (const bad of ["../", "a/../b/", "/abs/", "a\\b/", "a/b\u0000", ".assay-tmp-x/"]) expect(codeOf(() => validateStoragePrefix(bad)), bad).toBe("STORAGE_KEY_INVALID");
  });
});
