import { describe, expect, it } from "vitest";
import { isAssayError } from "../errors.js";
import { validatePortInstance } from "../plugin.js";
import type { Storage } from "../storage.js";

/** Keys every storage must refuse with STORAGE_KEY_INVALID. */
export const REFUSED_STORAGE_KEYS: readonly string[] = [
  "",
  "..",
  "../escape",
  "a/../../escape",
  "a/./b",
  "/etc/passwd",
  "C:/windows",
  "a\\b",
  "..\\escape",
  "a\u0000b",
  "a//b",
  "a/",
];

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAssayError(error), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

/** The Storage port's contract. `create` must return a new, empty storage each call. */
export function describeStorageContract(name: string, create: () => Promise<Storage>): void {
  describe(`Storage contract: ${name}`, () => {
    it("implements the port", async () => {
      const storage = await create();
      expect(validatePortInstance("storage", storage, name)).toBe(storage);
    });

    it("reads back what it wrote, and overwrites", async () => {
      const s = await create();
      await s.write("runs/a.json", bytes("one"));
      expect(text(await s.read("runs/a.json"))).toBe("one");
      await s.write("runs/a.json", bytes("two"));
      expect(text(await s.read("runs/a.json"))).toBe("two");
    });

    it("keeps binary and empty payloads exactly", async () => {
      const s = await create();
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      await s.write("bin", all);
      expect(Array.from(await s.read("bin"))).toEqual(Array.from(all));
      await s.write("empty", new Uint8Array());
      expect((await s.read("empty")).length).toBe(0);
    });

    it("reports a missing key with STORAGE_NOT_FOUND", async () => {
      const s = await create();
      await expectCode(s.read("nope/missing.json"), "STORAGE_NOT_FOUND");
      expect(await s.exists("nope/missing.json")).toBe(false);
    });

    it("deletes idempotently", async () => {
      const s = await create();
      await s.write("x/y", bytes("1"));
      expect(await s.exists("x/y")).toBe(true);
      await s.delete("x/y");
      expect(await s.exists("x/y")).toBe(false);
      await expect(s.delete("x/y")).resolves.toBeUndefined();
    });

    it("lists keys by prefix, sorted", async () => {
      const s = await create();
      for (const k of ["runs/b/2", "runs/a/1", "runs/a/0", "other/z", "runsx"]) await s.write(k, bytes(k));
      expect(await s.list("runs/")).toEqual(["runs/a/0", "runs/a/1", "runs/b/2"]);
      expect(await s.list("runs/a/")).toEqual(["runs/a/0", "runs/a/1"]);
      expect(await s.list("")).toEqual(["other/z", "runs/a/0", "runs/a/1", "runs/b/2", "runsx"]);
      expect(await s.list("missing/")).toEqual([]);
    });

    it("refuses keys that could leave its root", async () => {
      const s = await create();
      for (const key of REFUSED_STORAGE_KEYS) {
        await expectCode(s.write(key, bytes("x")), "STORAGE_KEY_INVALID");
        await expectCode(s.read(key), "STORAGE_KEY_INVALID");
        await expectCode(s.delete(key), "STORAGE_KEY_INVALID");
      }
    });

    it("never leaves a torn value under concurrent writers of one key", async () => {
      const s = await create();
      const payloads = Array.from({ length: 50 }, (_, i) => `${String(i).padStart(2, "0")}:${"x".repeat(64 * 1024)}`);
      await Promise.all(payloads.map((p) => s.write("hot/key", bytes(p))));
      expect(payloads).toContain(text(await s.read("hot/key")));
    });
  });
}
