import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AssayError } from "@assay/ports";
import { loadConfig } from "../src/config/load.js";
import { RawFileService } from "../src/rawfiles/service.js";
import { parseStagecountSpec } from "../src/specs/parse-stagecount.js";
import { failure } from "./support/failure.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "assay-rawcfg-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string) {
  await writeFile(path.join(dir, "assay.config.yaml"), text);
  return (await loadConfig({ cwd: dir })).config;
}

const refused = (text: string) => failure(load(text));

describe("rawFiles in assay.config.yaml", () => {
  it("defaults every key, and a domain overrides key by key", async () => {
    const config = await load(
      [
        "rawFiles:",
        "  file: { encoding: latin-1, delimiter: ';' }",
        "  loadColumns: { timestamp: loaded_at }",
        "domains:",
        "  payments:",
        "    stages: { test: [alpha] }",
        "    rawFiles: { root: 'landing/{domain}/{instance}', recursive: false, file: { headerLines: 1 }, loadColumns: { file: src } }",
        "  sales:",
        "    stages: { test: [alpha] }",
      ].join("\n"),
    );
    expect(config.rawFiles).toEqual({
      root: "raw/{domain}/{stage}/{instance}",
      stagePrefix: "stage_",
      objectPrefix: "raw_",
      loadColumns: { timestamp: "loaded_at", file: "m__source_file_path" },
      recursive: true,
      file: { encoding: "latin-1", delimiter: ";" },
    });
    const payments = RawFileService.forDomain(config, "payments");
    expect(payments.settings).toEqual({
      root: "landing/{domain}/{instance}",
      stagePrefix: "stage_",
      objectPrefix: "raw_",
      loadColumns: { timestamp: "loaded_at", file: "src" },
      recursive: false,
      file: { encoding: "latin-1", delimiter: ";", headerLines: 1 },
    });
    expect(payments.root({ domain: "payments", stage: "test", instance: "alpha" })).toBe(path.join(dir, "landing", "payments", "alpha"));
    expect(payments.readOptions({ encoding: "utf-8", headerLines: undefined })).toEqual({ encoding: "utf-8", delimiter: ";", headerLines: 1 });
    expect(RawFileService.forDomain(config, "sales").settings.recursive).toBe(true);
  });

  it("refuses bad keys with the file, line and key", async () => {
    const placeholder = await refused("rawFiles:\n  root: 'raw/{domian}'\n");
    expect(placeholder.toParagraph()).toMatch(/assay.config.yaml:2:\d+, key rawFiles.root: .*placeholders \{domain\}, \{stage\} and \{instance\}/);
    const encoding = await refused("domains:\n  p:\n    stages: { test: [a] }\n    rawFiles:\n      file: { encoding: ebcdic }\n");
    expect(encoding.toParagraph()).toMatch(/:5:\d+, key domains.p.rawFiles.file.encoding: .*utf-8, ascii, latin-1/);
    const delimiter = await refused("rawFiles:\n  file:\n    delimiter: '\"'\n");
    expect(delimiter.toParagraph()).toMatch(/:3:\d+, key rawFiles.file.delimiter/);
    const unknown = await refused("rawFiles:\n  recurse: true\n");
    expect(unknown.toParagraph()).toMatch(/:2:\d+, key rawFiles.recurse: Unknown key "recurse"/);
  });
});

describe("the stagecount spec", () => {
  const origin = { object: "stage_x", scenario: null, path: "specs/stage_x.stagecount.yaml" };
  it("takes the same per-file keys, validated the same way", () => {
    expect(parseStagecountSpec(Buffer.from("format: parquet\nencoding: UTF-16\nheaderLines: 0\ndelimiter: ';'\n"), origin)).toMatchObject({
      format: "parquet",
      encoding: "UTF-16",
      headerLines: 0,
      delimiter: ";",
    });
    let error: AssayError | undefined;
    try {
      parseStagecountSpec(Buffer.from("format: csv\nencoding: shift_jis\n"), origin);
    } catch (e) {
      error = e as AssayError;
    }
    expect(error?.code).toBe("SPEC_INVALID");
    expect(error?.toParagraph()).toMatch(/stage_x.stagecount.yaml:2:\d+, key encoding: .*an encoding assay counts: utf-8/);
  });
});
