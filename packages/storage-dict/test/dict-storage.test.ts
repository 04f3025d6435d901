import { isAssayError, validatePluginModule } from "@assay/ports";
import { describeStorageContract } from "@assay/ports/testing";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin from "../src/index.js";

const context = (location: string) => ({ projectRoot: process.cwd(), warn: () => undefined, location });
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describeStorageContract("dict", () => plugin.create({}, context("memory:contract")));

describe("dict storage", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "storage"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/storage-dict")).toBe(plugin);
    expect(plugin.schemes).toEqual(["memory"]);
  });

  it("isolates two instances created for the same location", async () => {
    const a = await plugin.create({}, context("memory:results"));
    const b = await plugin.create({}, context("memory:results"));
    await a.write("runs/1.json", bytes("a"));
    expect(await b.exists("runs/1.json")).toBe(false);
    expect(await b.list("")).toEqual([]);
    await b.write("runs/1.json", bytes("b"));
    expect(text(await a.read("runs/1.json"))).toBe("a");
    expect(a.location).toBe("memory:results");
  });

  it("copies bytes on write: later changes to the caller's array do not reach the store", async () => {
    const s = await plugin.create({}, context("memory:x"));
    const data = bytes("abc");
    await s.write("k", data);
    data[0] = 0x7a;
    expect(text(await s.read("k"))).toBe("abc");
  });

  it("copies bytes on read: changing what read returned does not change the store", async () => {
    const s = await plugin.create({}, context("memory:x"));
    await s.write("k", bytes("abc"));
    const first = await s.read("k");
    first[0] = 0x7a;
    expect(text(await s.read("k"))).toBe("abc");
  });

  it("sorts keys in UTF-8 byte order", async () => {
    const s = await plugin.create({}, context("memory:x"));
    // U+FF5E sorts after U+1F600 in UTF-16 code units, before it in UTF-8 bytes.
    for (const key of ["k/\u{1F600}", "k/\uFF5E", "k/B", "k/a"]) await s.write(key, bytes(key));
    expect(await s.list("k/")).toEqual(["k/B", "k/a", "k/\uFF5E", "k/\u{1F600}"]);
  });

  it("lists by a prefix that is not a whole segment", async () => {
    const s = await plugin.create({}, context("memory:x"));
    for (const key of ["runs/2024-01", "runs/2024-02", "runs/2025-01"]) await s.write(key, bytes(key));
    expect(await s.list("runs/2024")).toEqual(["runs/2024-01", "runs/2024-02"]);
  });

  it("refuses a location of another scheme", async () => {
    const error = await plugin.create({}, context("file:.assay")).catch((e: unknown) => e);
    expect(isAssayError(error) && error.code).toBe("STORAGE_LOCATION_INVALID");
  });

  it("refuses unknown options", async () => {
    expect((await plugin.optionsSchema["~standard"].validate({ size: 1 })).issues).toBeDefined();
  });
});
