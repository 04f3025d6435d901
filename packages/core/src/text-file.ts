import { lstat, readFile, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { ConfigError, type ErrorCode } from "@assay/ports";

/** What a path that is not a regular file is, in words ("a folder", "a named pipe (FIFO)"). */
export function kindOf(stats: Stats): string {
  if (stats.isFile()) return "a regular file";
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/**
 * Why `file` cannot be read as a regular file (following symbolic links), or null when it can;
 * "missing" when nothing is there at all. Checked before every open: opening a named pipe
 * blocks until something writes to it, so assay never opens anything but a regular file.
 */
/** notRegularFile's answer when nothing at all is at the path. */
export const MISSING = "missing";

export async function notRegularFile(file: string): Promise<string | null> {
  let link: Stats;
  try {
    link = await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "missing";
    if (code === "ENOTDIR") return "missing";
    return `it cannot be examined (${code ?? (error as Error).message})`;
  }
  if (!link.isSymbolicLink()) return link.isFile() ? null : `it is ${kindOf(link)}`;
  try {
    const target = await stat(file);
    return target.isFile() ? null : `it is a symbolic link to ${kindOf(target)}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return "it is a symbolic link that loops (ELOOP)";
    if (code === "ENOENT" || code === "ENOTDIR") return "it is a symbolic link to nothing (its target does not exist)";
    return `it is a symbolic link whose target cannot be examined (${code ?? (error as Error).message})`;
  }
}

/**
 * The byte offset of the first byte that breaks UTF-8 in `bytes`, or -1 when it is valid UTF-8
 * (overlong forms, surrogates and code points past U+10FFFF are invalid, as TextDecoder says).
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return -1;
  } catch {
    // Find where: walk sequences the way the decoder does.
  }
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/** Decodes strictly; invalid bytes are a ConfigError naming the file and the byte offset. A BOM is dropped. */
export function decodeUtf8Text(bytes: Uint8Array, shown: string, code: ErrorCode): string {
  const offset = invalidUtf8Offset(bytes);
  if (offset >= 0) {
    const byte = bytes[offset];
    throw new ConfigError(code, `The file is not valid UTF-8: ${byte === undefined ? "it ends in the middle of a character" : `byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")}`} at byte offset ${offset}`, {
      where: { file: shown, line: lineAtOffset(bytes, offset) },
      expected: "UTF-8 text",
      fix: "Save the file as UTF-8 (a latin-1 'é' is one byte; in UTF-8 it is two).",
    });
  }
  return new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
}

function lineAtOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Reads a user's text file (config, test set): refuses anything that is not a regular file
 * (before opening it) and anything that is not UTF-8, each as a ConfigError naming the file.
 */
export async function readUserTextFile(file: string, shown: string, code: ErrorCode, what: string): Promise<string> {
  const problem = await notRegularFile(file);
  if (problem === "missing") {
    throw new ConfigError(code, `The ${what} ${shown} does not exist`, { where: { file: shown }, fix: "Check the path." });
  }
  if (problem !== null) {
    throw new ConfigError(code, `The ${what} ${shown} cannot be read: ${problem}`, {
      where: { file: shown },
      expected: "a regular file",
      fix: `Replace it with a regular ${what}, or remove it.`,
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new ConfigError(code, `The ${what} ${shown} cannot be read: ${(error as Error).message}`, { where: { file: shown }, fix: "Check the file's permissions." });
  }
  return decodeUtf8Text(bytes, shown, code);
}
