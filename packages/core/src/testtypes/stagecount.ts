import type { Backend, CallOptions, RawFileCount, RawFileOptions, TestObjectRef } from "@assay/ports";
import type { TestTypeDefinition } from "./types.js";

const n = (v: number) => v.toLocaleString("en-US");

/**
 * Raw-file counting left the Backend port (issue 8): core's raw-file service counts the files.
 * Until it is wired in here, a backend that still offers the old methods is used.
 */
type LegacyRawFiles = Backend & {
  rawObjectFor?(stageObject: string): string | null;
  countRawFileRows?(raw: TestObjectRef, paths: string[], options?: RawFileOptions, call?: CallOptions): Promise<RawFileCount[]>;
};

/**
 * STAGECOUNT: every file of the stage table's newest load gave the table as many rows as the
 * raw file holds (counted by the engine's CSV reader, so quoted newlines count once).
 */
export const stagecountTestType: TestTypeDefinition = {
  name: "STAGECOUNT",
  description: "Each raw file of the stage table's newest load has as many data rows as the table got from it.",
  requiredSpecs: [],
  optionalSpecs: ["stagecount"],
  preconditions: ["specs unique", "specs valid", "backend capability latestLoad", "test object exists", "test object not empty"],
  async execute(ctx) {
    const spec = ctx.spec("stagecount");
    if (spec) ctx.fact("Specification", spec.path);
    const backend = ctx.backend as LegacyRawFiles;
    const rawName = backend.rawObjectFor?.(ctx.entry.object) ?? null;
    if (!rawName || !backend.countRawFileRows) {
      ctx.notApplicable(`The backend maps ${ctx.entry.object} to no raw-file object, so there is nothing to count against.`);
      return;
    }
    ctx.fact("Raw object", rawName);
    const load = await ctx.step("find latest load", () => ctx.backend.latestLoad!(ctx.object, undefined, { signal: ctx.signal }));
    if (load.files.length === 0) {
      ctx.notApplicable(`${ctx.entry.object} has no load with a source file: its load columns are empty.`);
      return;
    }
    ctx.fact("Loaded at", load.loadedAt);
    ctx.fact("Files in latest load", load.files.length);
    const options: RawFileOptions = {};
    if (spec?.format) options.format = spec.format;
    if (spec?.encoding) options.encoding = spec.encoding;
    if (spec?.headerLines !== null && spec?.headerLines !== undefined) options.headerLines = spec.headerLines;
    if (spec?.delimiter) options.delimiter = spec.delimiter;
    ctx.detail("Encoding", options.encoding ?? "inferred by the backend");
    ctx.detail("Header lines", options.headerLines ?? "inferred by the backend");
    const raw = await ctx.step("count raw file rows", () =>
      backend.countRawFileRows!({ ...ctx.at, name: rawName }, load.files.map((f) => f.path), options, { signal: ctx.signal }),
    );
    const rawByPath = new Map(raw.map((r) => [r.path, r.rows]));
    const files = load.files.map((f) => {
      const rawRows = rawByPath.get(f.path) ?? null;
      return { path: f.path, stage_rows: f.rows, raw_rows: rawRows, difference: rawRows === null ? null : f.rows - rawRows };
    });
    const stageTotal = files.reduce((sum, f) => sum + f.stage_rows, 0);
    const rawTotal = files.reduce((sum, f) => sum + (f.raw_rows ?? 0), 0);
    ctx.fact("Stage rows", stageTotal);
    ctx.fact("Raw file rows", rawTotal);
    const differing = files.filter((f) => f.difference !== 0);
    const label = `${files.length} file${files.length === 1 ? "" : "s"}`;
    if (differing.length === 0) {
      ctx.conclude("OK", `Stage rows (${n(stageTotal)}) match the raw files (${n(rawTotal)}) of the latest load (${label}).`);
      return;
    }
    ctx.diff("stagecount_diff", differing);
    const uncounted = differing.filter((f) => f.raw_rows === null).length;
    ctx.conclude(
      "NOK",
      `Stage rows (${n(stageTotal)}) differ from the raw files (${n(rawTotal)}) of the latest load: ${differing.length} of ${label} differ` +
        `${uncounted ? ` (${uncounted} not counted by the backend)` : ""}.`,
    );
  },
};
