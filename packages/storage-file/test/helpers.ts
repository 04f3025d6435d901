import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import plugin from "../src/index.js";

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

/** A fresh temporary folder, removed after the test file. */
export async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "assay-storage-file-"));
  folders.push(folder);
  return folder;
}

/** A file storage at `location`, resolved against `projectRoot`. */
export function createStorage(location: string, projectRoot: string) {
  return plugin.create({}, { projectRoot, location, warn: () => undefined });
}

export const bytes = (text: string) => new TextEncoder().encode(text);
export const text = (data: Uint8Array) => new TextDecoder().decode(data);
