import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createStorage, tempFolder } from "./helpers.js";

const MB = 1024 * 1024;

/** A 1 MB payload whose every byte is `id`: any mix of two payloads is easy to see. */
function payload(id: number): Uint8Array {
  return new Uint8Array(MB).fill(id);
}

/** The id of a whole payload, or a description of what is wrong with it. */
function whole(data: Uint8Array): number | string {
  if (data.length !== MB) return `torn: ${data.length} bytes`;
  const id = data[0]!;
  return data.every((b) => b === id) ? id : "torn: mixed bytes";
}

describe("file storage: atomic writes", () => {
  it("50 concurrent writers of one key leave exactly one whole payload; readers never see a torn one", async () => {
    const folder = await tempFolder();
    const s = await createStorage("file:store", folder);
    await s.write("hot/key", payload(255));
    let writing = true;
    const seen: (number | string)[] = [];
    const reader = (async () => {
      while (writing) seen.push(whole(await s.read("hot/key")));
    })();
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.write("hot/key", payload(i + 1))));
    writing = false;
    await reader;
    const final = whole(await s.read("hot/key"));
    expect(typeof final).toBe("number");
    expect(final).toBeGreaterThanOrEqual(1);
    expect(final).toBeLessThanOrEqual(50);
    expect(seen.filter((v) => typeof v === "string")).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(await readdir(`${folder}/store/hot`)).toEqual(["key"]);
  });

  it("writers in separate processes leave exactly one whole payload", async () => {
    const script = fileURLToPath(new URL("./fixtures/write-many.mjs", import.meta.url));
    const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    expect(existsSync(dist), "the child processes use the build: run pnpm build first").toBe(true);
    const folder = await tempFolder();
    const s = await createStorage("file:store", folder);
    const root = `${folder}/store`;
    const writers = [1, 2, 3, 4].map(
      (id) =>
        new Promise<number | null>((resolve, reject) => {
          const child = spawn(process.execPath, [script, root, "shared/key.bin", String(id), "8"], { stdio: ["ignore", "ignore", "inherit"] });
          child.on("error", reject);
          child.on("exit", resolve);
        }),
    );
    let writing = true;
    const seen: (number | string)[] = [];
    const reader = (async () => {
      while (writing) {
        const data = await s.read("shared/key.bin").catch(() => null);
        if (data) seen.push(whole(data));
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const exitCodes = await Promise.all(writers);
    writing = false;
    await reader;
    expect(exitCodes).toEqual([0, 0, 0, 0]);
    expect([1, 2, 3, 4]).toContain(whole(await s.read("shared/key.bin")));
    expect(seen.filter((v) => typeof v === "string")).toEqual([]);
    expect(await readdir(`${root}/shared`)).toEqual(["key.bin"]);
  });
});
