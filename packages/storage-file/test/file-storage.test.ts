import { isAssayError, validatePluginModule } from "@assay/ports";
import { describeStorageContract, REFUSED_STORAGE_KEYS } from "@assay/ports/testing";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin from "../src/index.js";
import { bytes, createStorage, tempFolder, text } from "./helpers.js";

describeStorageContract("file", async () => createStorage("file:store", await tempFolder()));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (error === undefined) return undefined;
  if (!isAssayError(error)) throw new Error("expected an AssayError", { cause: error });
  return error.code;
}

/** Every file below `folder`, as relative paths. */
async function filesBelow(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(folder.length + 1))
    .sort();
}

describe("file storage: plugin and location", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "storage"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/storage-file")).toBe(plugin);
    expect(plugin.schemes).toEqual(["file"]);
  });

  it("resolves a relative location against the project root", async () => {
    const project = await tempFolder();
    const s = (await createStorage("file:.assay", project));
    expect(s.root).toBe(join(project, ".assay"));
    expect(s.location).toBe("file:.assay");
  });

  it("takes file:/abs and file:///abs (percent-decoded) as absolute", async () => {
    const base = await tempFolder();
    const elsewhere = await tempFolder();
    const plain = (await createStorage(`file:${join(base, "store")}`, elsewhere));
    expect(plain.root).toBe(join(base, "store"));
    const url = pathToFileURL(join(base, "with space")).href;
    expect(url).toContain("%20");
    const fromUrl = (await createStorage(url, elsewhere));
    expect(fromUrl.root).toBe(join(base, "with space"));
    await fromUrl.write("k", bytes("v"));
    expect(await readFile(join(base, "with space", "k"), "utf8")).toBe("v");
  });

  it("refuses locations that name no usable folder with STORAGE_LOCATION_INVALID", async () => {
    const project = await tempFolder();
    for (const location of ["file:", "file://remote-host/share", "memory:x"]) {
      expect(await codeOf(createStorage(location, project)), location).toBe("STORAGE_LOCATION_INVALID");
    }
  });

  it("creates a root that does not exist yet on the first write", async () => {
    const project = await tempFolder();
    const s = await createStorage("file:deep/er/store", project);
    expect(existsSync(join(project, "deep"))).toBe(false);
    expect(await s.list("")).toEqual([]);
    expect(await s.exists("a")).toBe(false);
    expect(existsSync(join(project, "deep"))).toBe(false);
    await s.write("runs/r1/run.json", bytes("{}"));
    expect(await readFile(join(project, "deep/er/store/runs/r1/run.json"), "utf8")).toBe("{}");
  });

  it("refuses unknown options", async () => {
    expect((await plugin.optionsSchema["~standard"].validate({ fsync: false })).issues).toBeDefined();
  });
});

describe("file storage: keys that could leave the root", () => {
  it.each(REFUSED_STORAGE_KEYS.map((key) => [JSON.stringify(key), key]))("refuses %s for every operation", async (_label, key) => {
    const project = await tempFolder();
    const s = await createStorage("file:store", project);
    expect(await codeOf(s.write(key, bytes("x")))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.read(key))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.exists(key))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.delete(key))).toBe("STORAGE_KEY_INVALID");
    expect(await filesBelow(project)).toEqual([]);
  });

  it("refuses a key through a folder link that leads outside the root", async () => {
    const project = await tempFolder();
    const outside = await tempFolder();
    await writeFile(join(outside, "secret"), "outside");
    await mkdir(join(project, "store"));
    await symlink(outside, join(project, "store", "escape"));
    const s = await createStorage("file:store", project);
    expect(await codeOf(s.write("escape/new", bytes("x")))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.write("escape/deeper/new", bytes("x")))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.read("escape/secret"))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.exists("escape/secret"))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.delete("escape/secret"))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.list("escape/"))).toBe("STORAGE_KEY_INVALID");
    expect(await filesBelow(outside)).toEqual(["secret"]);
    // list("") does not follow the link either.
    expect(await s.list("")).toEqual([]);
  });

  it("refuses a key that is a file link leading outside the root", async () => {
    const project = await tempFolder();
    const outside = await tempFolder();
    await writeFile(join(outside, "secret"), "outside");
    await mkdir(join(project, "store"));
    await symlink(join(outside, "secret"), join(project, "store", "link"));
    const s = await createStorage("file:store", project);
    expect(await codeOf(s.read("link"))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.write("link", bytes("x")))).toBe("STORAGE_KEY_INVALID");
    expect(await readFile(join(outside, "secret"), "utf8")).toBe("outside");
  });

  it("accepts a link that stays inside the root", async () => {
    const project = await tempFolder();
    const s = await createStorage("file:store", project);
    await s.write("real/a", bytes("inside"));
    await symlink(join(project, "store", "real"), join(project, "store", "alias"));
    expect(text(await s.read("alias/a"))).toBe("inside");
  });

  it("refuses keys in the reserved temporary-file namespace", async () => {
    const s = await createStorage("file:store", await tempFolder());
    expect(await codeOf(s.write(".assay-tmp-1-ab", bytes("x")))).toBe("STORAGE_KEY_INVALID");
    expect(await codeOf(s.read("runs/.assay-tmp-1-ab"))).toBe("STORAGE_KEY_INVALID");
  });
});

describe("file storage: reads, lists and errors", () => {
  it("never lists temporary files of interrupted writes", async () => {
    const project = await tempFolder();
    const s = await createStorage("file:store", project);
    await s.write("runs/r1/a.json", bytes("a"));
    // What a writer killed between open and rename leaves behind.
    await writeFile(join(project, "store/runs/r1/.assay-tmp-999-0123456789abcdef"), "half");
    await writeFile(join(project, "store/.assay-tmp-999-fedcba9876543210"), "");
    expect(await s.list("")).toEqual(["runs/r1/a.json"]);
    expect(await s.list("runs/r1/")).toEqual(["runs/r1/a.json"]);
    expect(await s.list("runs/r1/.assay")).toEqual([]);
  });

  it("lists with '/' separators, sorted, by partial segment prefixes", async () => {
    const s = await createStorage("file:store", await tempFolder());
    for (const key of ["runs/2024-02/b", "runs/2024-01/a", "runs/2025-01/c", "runs/2024-01/sub/d", "top"]) {
      await s.write(key, bytes(key));
    }
    expect(await s.list("runs/2024")).toEqual(["runs/2024-01/a", "runs/2024-01/sub/d", "runs/2024-02/b"]);
    expect(await s.list("runs/2024-01/s")).toEqual(["runs/2024-01/sub/d"]);
    expect(await s.list("t")).toEqual(["top"]);
    expect(await s.list("top/")).toEqual([]);
  });

  it("treats a folder as no key", async () => {
    const s = await createStorage("file:store", await tempFolder());
    await s.write("runs/r1", bytes("x"));
    await s.write("dir/inner", bytes("x"));
    expect(await codeOf(s.read("dir"))).toBe("STORAGE_NOT_FOUND");
    expect(await s.exists("dir")).toBe(false);
    await s.delete("dir");
    expect(await codeOf(s.read("runs/r1/under-a-file"))).toBe("STORAGE_NOT_FOUND");
  });

  it("reports other IO failures as STORAGE_IO with the path, and cleans its temporary file", async () => {
    const project = await tempFolder();
    const s = await createStorage("file:store", project);
    await s.write("dir/inner", bytes("x"));
    const error = await s.write("dir", bytes("over a folder")).then(() => undefined, (e: unknown) => e);
    expect(isAssayError(error) && error.code).toBe("STORAGE_IO");
    expect(isAssayError(error) && error.where?.file).toBe(join(project, "store", "dir"));
    expect(await filesBelow(join(project, "store"))).toEqual([join("dir", "inner")]);
    await s.write("file", bytes("x"));
    expect(await codeOf(s.write("file/below", bytes("x")))).toBe("STORAGE_IO");
  });
});
