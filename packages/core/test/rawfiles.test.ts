import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { countCsvFile, type CsvCountOptions } from "../src/rawfiles/csv-file.js";
import { inferHeaderLines, splitRecord } from "../src/rawfiles/header.js";
import { RawFileService } from "../src/rawfiles/service.js";
import { RawFilesSettings } from "../src/rawfiles/settings.js";
import { failure } from "./support/failure.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "rawfiles");
const dir = mkdtempSync(join(tmpdir(), "assay-rawfiles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
function file(content: string | Uint8Array, name = `f${++seq}.csv`): string {
  const path = join(dir, "files", name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** Counts with every chunk size from 1 to 9 and the default; all must agree. */
async function rows(content: string | Uint8Array, options: CsvCountOptions = {}): Promise<number> {
  const path = file(content);
  const results = new Set<number>();
  for (const chunkSize of [1, 2, 3, 4, 5, 7, 9, undefined]) results.add((await countCsvFile(path, { ...options, chunkSize })).rows);
  expect([...results]).toHaveLength(1);
  return [...results][0]!;
}

const utf16 = (text: string, order: "le" | "be", bom = true): Buffer => {
  const le = Buffer.from(text, "utf16le");
  const body = order === "le" ? le : Buffer.from(le).swap16();
  return Buffer.concat([bom ? Buffer.from(order === "le" ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), body]);
};

describe("the CSV record counter", () => {
  it("counts records, not lines: a quoted newline stays inside its record", async () => {
    expect(await rows('id,note\n1,"two\nlines"\n2,plain\n3,"a\r\nb\nc"\n')).toBe(3);
  });

  it("reads LF and CRLF line endings, and a last record without a line ending", async () => {
    expect(await rows("id,v\n1,a\n2,b\n")).toBe(2);
    expect(await rows("id,v\r\n1,a\r\n2,b\r\n")).toBe(2);
    expect(await rows("id,v\r\n1,a\r\n2,b")).toBe(2);
    expect(await rows("id,v\n1,a\n2,b\r")).toBe(2);
  });

  it("skips empty lines (nothing, or only CR), but counts a line of blanks", async () => {
    expect(await rows("\n\nid,v\n\n1,a\r\n\r\n\n2,b\n\n")).toBe(2);
    expect(await rows("id,v\n1,a\n \n")).toBe(2);
    expect(await rows("\r\n\r\n1,2\n3,4\n")).toBe(2);
  });

  it('keeps escaped quotes ("") inside their field', async () => {
    expect(await rows('id,v\n1,"say ""hi""\nthere"\n2,""""\n3,""\n')).toBe(3);
  });

  it("counts empty and header-only files as no rows", async () => {
    expect(await rows("")).toBe(0);
    expect(await rows("\n\r\n")).toBe(0);
    expect(await rows("id,name\n")).toBe(0);
    expect(await rows("id,name")).toBe(0);
    expect(await rows("\uFEFFid,name\r\n")).toBe(0);
  });

  it("carries huge fields with newlines across chunk boundaries", async () => {
    const big = `"${"x\n\"\"y,".repeat(50_000)}"`;
    const content = `id,blob\n1,${big}\n2,${big}\r\n3,short\n`;
    const path = file(content);
    for (const chunkSize of [7, 4096, 65_537, 1 << 20, undefined]) expect((await countCsvFile(path, { chunkSize })).rows).toBe(3);
  });

  it("refuses a file that ends inside a quoted field", async () => {
    const error = await failure(countCsvFile(file('id,v\n1,"open\n2,b\n')));
    expect(error.code).toBe("RAW_FILE_UNREADABLE");
    expect(error.message).toMatch(/ends inside a quoted field \(opened in record 2\)/);
  });

  it("stops between chunks when the signal aborts", async () => {
    const path = file("id\n1\n".repeat(1000));
    const controller = new AbortController();
    const counting = countCsvFile(path, { chunkSize: 16, signal: controller.signal });
    controller.abort(new Error("deadline"));
    await expect(counting).rejects.toThrow("deadline");
    const aborted = AbortSignal.abort(new Error("before"));
    await expect(countCsvFile(path, { signal: aborted })).rejects.toThrow("before");
  });
});

describe("the header rule", () => {
  it("takes a first record of non-empty text fields as a header, anything else as data", () => {
    expect(inferHeaderLines("id,name,amount", ",")).toBe(1);
    expect(inferHeaderLines('"customer id","name, full"', ",")).toBe(1);
    expect(inferHeaderLines("1,alice", ",")).toBe(0);
    expect(inferHeaderLines("alice,-3.5", ",")).toBe(0);
    expect(inferHeaderLines("alice,1e6", ",")).toBe(0);
    expect(inferHeaderLines("alice;12,5", ";")).toBe(0);
    expect(inferHeaderLines("alice,12,5", ";")).toBe(1);
    expect(inferHeaderLines("alice,2024-01-31", ",")).toBe(0);
    expect(inferHeaderLines("alice,31/01/2024 10:00", ",")).toBe(0);
    expect(inferHeaderLines("alice,10:30:00.5", ",")).toBe(0);
    expect(inferHeaderLines("alice,,bob", ",")).toBe(0);
    expect(inferHeaderLines('alice,"  "', ",")).toBe(0);
    expect(inferHeaderLines("a;1", ";")).toBe(0);
    expect(inferHeaderLines("a;b", ";")).toBe(1);
    expect(inferHeaderLines(null, ",")).toBe(0);
  });

  it("splits a record on the delimiter outside quotes", () => {
    expect(splitRecord('a,"b,c","d ""e""",', ",")).toEqual(["a", "b,c", 'd "e"', ""]);
    expect(splitRecord("a\tb", "\t")).toEqual(["a", "b"]);
  });

  it("applies to files, and headerLines overrides it", async () => {
    expect(await rows("alice,bob\ncarol,dave\n")).toBe(1);
    expect(await rows("alice,bob\ncarol,dave\n", { headerLines: 0 })).toBe(2);
    expect(await rows("1,2\n3,4\n")).toBe(2);
    expect(await rows("# exported\nid,v\n1,2\n", { headerLines: 2 })).toBe(1);
    expect(await rows("id;v\n1;2\n", { delimiter: ";" })).toBe(1);
    expect((await countCsvFile(file("id,v\n1,2\n"))).headerInferred).toBe(true);
  });

  it("judges a first record with a quoted newline as one record", async () => {
    expect(await rows('"customer\nid","full\r\nname"\r\n1,2\r\n')).toBe(1);
    expect(await rows('"12\n",x\n1,2\n')).toBe(2);
  });

  it("reads the first record after a UTF-8 byte-order mark", async () => {
    expect(await rows("\uFEFF1,2\n3,4\n")).toBe(2);
    expect(await rows("\uFEFFid,v\n3,4\n")).toBe(1);
  });
});

describe("encodings", () => {
  it("counts latin-1 and windows-1252 bytes, and decodes the header in them", async () => {
    const latin1 = Buffer.from("prénom,âge\nJosé,\"a\nb\"\n", "latin1");
    expect(await rows(latin1, { encoding: "latin-1" })).toBe(1);
    expect(await rows(latin1, { encoding: "windows-1252" })).toBe(1);
    expect(await rows(latin1, { encoding: "ISO_8859_15" })).toBe(1);
    expect((await countCsvFile(file(latin1), { encoding: "Latin1" })).encoding).toBe("latin1");
  });

  it("reads UTF-16 with a byte-order mark, little- and big-endian, across odd chunk boundaries", async () => {
    const text = 'id,note\r\n1,"two\nlines €"\r\n2,"say ""hi"""\r\n';
    expect(await rows(utf16(text, "le"))).toBe(2);
    expect(await rows(utf16(text, "be"))).toBe(2);
    expect(await rows(utf16(text, "be"), { encoding: "utf-16" })).toBe(2);
    expect(await rows(utf16(text, "le", false), { encoding: "utf-16le" })).toBe(2);
    expect(await rows(utf16(text, "be", false), { encoding: "UTF-16BE" })).toBe(2);
    expect(await rows(utf16("1,2\n3,4", "le"))).toBe(2);
    expect((await countCsvFile(file(utf16(text, "be")))).encoding).toBe("utf-16be");
  });

  it("refuses encodings it cannot count, and a declaration that contradicts the byte-order mark", async () => {
    const sjis = await failure(countCsvFile(file("a\n"), { encoding: "shift_jis" }));
    expect(sjis.code).toBe("RAW_FILE_REFUSED");
    expect(sjis.toParagraph()).toMatch(/does not count files in encoding "shift_jis".*Expected utf-8, ascii, latin-1/);
    const mismatch = await failure(countCsvFile(file(utf16("a\n", "le")), { encoding: "latin-1" }));
    expect(mismatch.message).toMatch(/starts with a UTF-16LE byte-order mark, but its encoding is set to latin-1/);
    const order = await failure(countCsvFile(file(utf16("a\n", "be")), { encoding: "utf-16le" }));
    expect(order.message).toMatch(/UTF-16BE byte-order mark, but its encoding is set to utf-16le/);
  });
});

describe("Parquet", () => {
  const service = new RawFileService(dir);
  it("counts rows from the footer", async () => {
    expect((await service.countFile(join(fixtures, "five.parquet"), {})).rows).toBe(5);
    expect((await service.countFile(join(fixtures, "empty.parquet"), {})).rows).toBe(0);
    expect(await service.countFile(join(fixtures, "groups.parquet"), {})).toEqual({ path: join(fixtures, "groups.parquet"), format: "parquet", rows: 2500, csv: null });
  });

  it("follows format over the file name, and refuses a file that is not Parquet", async () => {
    const renamed = join(dir, "files", "five.data");
    copyFileSync(join(fixtures, "five.parquet"), renamed);
    expect((await service.countFile(renamed, { format: "parquet" })).rows).toBe(5);
    const csvNamedParquet = file("id\n1\n2\n", "table.PARQUET");
    expect((await service.countFile(csvNamedParquet, { format: "csv" })).rows).toBe(2);
    const error = await failure(service.countFile(csvNamedParquet, {}));
    expect(error.code).toBe("RAW_FILE_UNREADABLE");
    expect(error.toParagraph()).toMatch(/is not a readable Parquet file.*set format: csv/);
  });
});

describe("locating raw folders and files", () => {
  const project = join(dir, "project");
  const at = { domain: "payments", stage: "test", instance: "alpha" };
  const root = join(project, "raw", "payments", "test", "alpha");
  const folder = join(root, "accounts");
  const write = (path: string, content = "id\n1\n") => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };
  write(join(folder, "a.csv"));
  write(join(folder, "2024", "b.csv"));
  write(join(folder, ".hidden.csv"));
  write(join(folder, ".tmp", "c.csv"));
  write(join(root, "transactions", "t.csv"));
  mkdirSync(join(root, ".staging"), { recursive: true });
  write(join(project, "secret.csv"));
  symlinkSync(join(project, "secret.csv"), join(folder, "escape.csv"));
  symlinkSync(join(folder, "a.csv"), join(folder, "alias.csv"));
  const service = new RawFileService(project);
  const raw = service.folderFor(at, "stage_accounts")!;

  it("maps stage_x to folder x under the raw root, as object raw_x", async () => {
    expect(raw).toEqual({ folder: "accounts", object: "raw_accounts", path: folder });
    expect(service.folderFor(at, "core_accounts")).toBeNull();
    expect(service.folderFor(at, "stage_")).toBeNull();
    expect(await service.folderExists(raw)).toBe(true);
    expect(await service.folderExists(service.folderFor(at, "stage_nothing")!)).toBe(false);
    const custom = new RawFileService(project, RawFilesSettings.parse({ root: "landing/{domain}-{instance}", stagePrefix: "stg_", objectPrefix: "files_" }));
    expect(custom.folderFor(at, "stg_accounts")).toEqual({ folder: "accounts", object: "files_accounts", path: join(project, "landing", "payments-alpha", "accounts") });
  });

  it("lists folders and files: sorted, hidden ones left out, sub-folders when recursive", async () => {
    expect((await service.listFolders(at)).map((f) => f.object)).toEqual(["raw_accounts", "raw_transactions"]);
    expect(await service.listFolders({ ...at, instance: "nowhere" })).toEqual([]);
    expect(await service.listFiles(raw)).toEqual([join(folder, "2024", "b.csv"), join(folder, "a.csv")]);
    const flat = new RawFileService(project, RawFilesSettings.parse({ recursive: false }));
    expect(await flat.listFiles(raw)).toEqual([join(folder, "a.csv")]);
  });

  it("resolves stored paths: absolute, file:// URLs, relative to the raw root or to the folder", async () => {
    expect(await service.resolveStored(at, raw, join(folder, "a.csv"))).toBe(join(folder, "a.csv"));
    expect(await service.resolveStored(at, raw, pathToFileURL(join(folder, "2024", "b.csv")).href)).toBe(join(folder, "2024", "b.csv"));
    expect(await service.resolveStored(at, raw, "accounts/a.csv")).toBe(join(folder, "a.csv"));
    expect(await service.resolveStored(at, raw, "2024/b.csv")).toBe(join(folder, "2024", "b.csv"));
    expect(await service.resolveStored(at, raw, "alias.csv")).toBe(join(folder, "alias.csv"));
  });

  it("refuses paths outside the folder, symbolic links that leave it, and sub-folders without recursion", async () => {
    for (const given of ["../secret.csv", join(project, "secret.csv"), "../transactions/t.csv", "/etc/passwd", "file:///etc/passwd", "accounts/../../alpha/transactions/t.csv"]) {
      const error = await failure(service.resolveStored(at, raw, given));
      expect(error.code, given).toBe("RAW_FILE_REFUSED");
      expect(error.message).toMatch(/lies outside the raw folder/);
    }
    const link = await failure(service.resolveStored(at, raw, "escape.csv"));
    expect(link.code).toBe("RAW_FILE_REFUSED");
    expect(link.message).toMatch(/links to .*secret.csv, outside the raw folder/);
    const missing = await failure(service.resolveStored(at, raw, "gone.csv"));
    expect(missing.code).toBe("RAW_FILE_NOT_FOUND");
    const flat = new RawFileService(project, RawFilesSettings.parse({ recursive: false }));
    expect((await failure(flat.resolveStored(at, raw, "2024/b.csv"))).message).toMatch(/rawFiles.recursive is false/);
  });
});
