import { pickIssue } from "./pick-issue.js";
import type { StagecountSpec } from "../model.js";
import { parseYamlSource, yamlIssueError } from "../yaml-source.js";
import { decodeUtf8, type SpecOrigin } from "./spec-base.js";
import { RawFileReadOptions } from "../rawfiles/settings.js";

/** `<object>.stagecount.yaml`: how to read the raw files; every key optional, each overriding rawFiles.file of the config. */
export const StagecountYaml = RawFileReadOptions;

export function parseStagecountSpec(bytes: Uint8Array, origin: SpecOrigin): StagecountSpec {
  const source = parseYamlSource(decodeUtf8(bytes), origin.path, "SPEC_INVALID");
  const parsed = StagecountYaml.safeParse(source.value ?? {});
  if (!parsed.success) {
    throw yamlIssueError(source, pickIssue(parsed.error.issues), "SPEC_INVALID", "stagecount spec", "Allowed keys: format (csv or parquet), encoding, headerLines, delimiter.");
  }
  const s = parsed.data;
  return {
    type: "stagecount",
    ...origin,
    error: null,
    format: s.format ?? null,
    encoding: s.encoding ?? null,
    headerLines: s.headerLines ?? null,
    delimiter: s.delimiter ?? null,
  };
}
