import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ConfigError } from "@assay/ports";
import { z } from "zod";
import { TestCaseResult, TestRun } from "../model.js";
import { SelectedTestSet } from "./selection.js";

export const BLOB_FORMAT = "assay-shard-blob";

/**
 * What one shard hands to `assay merge`: self-contained (the whole selection, so the merge
 * knows every test case that must be there, and this shard's runs with all their results),
 * one JSON file that CI carries as an artefact.
 */
export const ShardBlob = z.object({
  format: z.literal(BLOB_FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  shard: z.object({ index: z.number().int().min(1), total: z.number().int().min(1) }),
  selection: z.object({ fingerprint: z.string(), testSets: z.array(SelectedTestSet) }),
  /** The split this shard ran: the same for every shard planned from the same history. */
  plan: z.object({ fingerprint: z.string(), known: z.number().int().min(0), testCases: z.array(z.string()) }),
  runs: z.array(z.object({ run: TestRun, results: z.array(TestCaseResult) })),
});
export type ShardBlob = z.infer<typeof ShardBlob>;

/** `.assay/blobs/<first 12 of the fingerprint>-<i>-of-<n>.json` under the project root. */
export function defaultBlobPath(root: string, fingerprint: string, shard: { index: number; total: number }): string {
  return join(root, ".assay", "blobs", `${fingerprint.slice(0, 12)}-${shard.index}-of-${shard.total}.json`);
}

/** Written to a temporary file next to it and renamed: a reader never sees half a blob. */
export async function writeBlob(file: string, blob: ShardBlob): Promise<void> {
  const checked = ShardBlob.parse(blob);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(checked)}\n`);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

const FIX = "Pass the files `assay run --shard i/n` wrote (--blob FILE, or .assay/blobs/ by default), unchanged.";

export async function readBlob(file: string): Promise<ShardBlob> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError("BLOB_INVALID", `The shard blob cannot be read: ${(error as Error).message}`, { where: { file }, fix: FIX });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError("BLOB_INVALID", `The shard blob is not JSON: ${(error as Error).message}`, { where: { file }, expected: "a JSON file written by assay run --shard", fix: FIX });
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== BLOB_FORMAT) {
    throw new ConfigError("BLOB_INVALID", "The file is not a shard blob", { where: { file }, expected: `a JSON object with "format": "${BLOB_FORMAT}"`, fix: FIX });
  }
  const parsed = ShardBlob.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError("BLOB_INVALID", `The shard blob is not valid: ${issue.message}`, {
      where: { file, key: issue.path.join(".") || undefined },
      expected: "a blob written by the same version of assay",
      fix: FIX,
    });
  }
  return parsed.data;
}
