import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { AssayError, type LatestLoad } from "@assay/ports";
import type { RawFileCountResult, RawFileReadOptions, RawFolder } from "../rawfiles/index.js";
import { RawFileService } from "../rawfiles/service.js";
import type { TestCaseContext, TestTypeDefinition } from "./types.js";

const n = (v: number) => v.toLocaleString("en-US");

/** Where a rawFiles key is set: the config-wide key, and the one that overrides it for the domain. */
const configKey = (ctx: TestCaseContext, key: string) => `rawFiles.${key} (or domains.${ctx.at.domain}.rawFiles.${key}) in assay.config.yaml`;

/**
 * The stage table's load columns as the catalogue spells them, or the N/A summary naming the
 * one that is missing and the key that changes it (rather than an engine's binder error).
 */
async function loadColumns(ctx: TestCaseContext, service: RawFileService): Promise<{ timestamp: string; file: string } | string> {
  const schema = await ctx.backend.getSchema(ctx.object, { signal: ctx.signal });
  const wanted = service.settings.loadColumns;
  const found: Record<string, string> = {};
  for (const [role, what] of [["timestamp", "the load timestamp"], ["file", "the raw file path"]] as const) {
    const name = wanted[role];
    const column = schema.columns.find((c) => c.name === name) ?? schema.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!column) {
      return (
        `${ctx.entry.object} has no column ${name} (${what}), which STAGECOUNT reads to find the newest load and its files. ` +
        `Name the column that holds it in ${configKey(ctx, `loadColumns.${role}`)}.`
      );
    }
    found[role] = column.name;
  }
  return { timestamp: found.timestamp!, file: found.file! };
}

/** Folders with more files than this are not guessed from: listing and statting them would cost more than it saves. */
const GUESS_FROM_AT_MOST = 256;

/**
 * The raw folder's most recently modified file, being counted while the backend looks for the
 * newest load (a scan of the stage table where no index serves it): that load's file, as a rule,
 * so the scan and the count overlap instead of adding up. The path is known at once; a guess the
 * load does not name is aborted, and one whose count fails is counted again if the load names it.
 */
interface Guess {
  path: string;
  count: Promise<RawFileCountResult | null>;
}

async function guessNewestFile(service: RawFileService, raw: RawFolder, options: RawFileReadOptions, signal: AbortSignal): Promise<Guess | null> {
  try {
    const files = await service.listFiles(raw);
    if (files.length === 0 || files.length > GUESS_FROM_AT_MOST) return null;
    const times = await Promise.all(files.map(async (path) => ({ path, mtime: (await stat(path)).mtimeMs })));
    const newest = times.reduce((x, y) => (y.mtime > x.mtime ? y : x)).path;
    return { path: resolve(newest), count: service.countFile(newest, options, { signal }).catch(() => null) };
  } catch {
    return null;
  }
}

/**
 * STAGECOUNT: every file of the stage table's newest load gave the table as many rows as the
 * raw file holds. The backend only finds the newest load (SQL on the stage table); the raw
 * files are found and counted by core's raw-file service, the same whichever engine holds the table.
 */
export const stagecountTestType: TestTypeDefinition = {
  name: "STAGECOUNT",
  description: "Each raw file of the stage table's newest load has as many data rows as the table got from it.",
  requiredSpecs: [],
  optionalSpecs: ["stagecount"],
  // "not empty" stays: the newest load is found in the stage table's rows, and an empty table has none to count against.
  preconditions: ["specs unique", "specs valid", "backend capability latestLoad", "test object exists", "test object not empty"],
  async execute(ctx) {
    const spec = ctx.spec("stagecount");
    if (spec) ctx.fact("Specification", spec.path);
    const service = RawFileService.forDomain(ctx.config, ctx.at.domain);
    const raw = service.folderFor(ctx.at, ctx.entry.object);
    if (!raw) {
      ctx.notApplicable(
        `assay maps ${ctx.entry.object} to no raw folder: its name does not start with the stage prefix ` +
          `"${service.settings.stagePrefix}" (${configKey(ctx, "stagePrefix")}), so there is nothing to count against.`,
      );
      return;
    }
    ctx.fact("Raw object", raw.object);
    ctx.fact("Raw folder", raw.path);
    if (!(await service.folderExists(raw))) {
      ctx.notApplicable(`The raw folder of ${ctx.entry.object} does not exist: ${raw.path} (raw root from ${configKey(ctx, "root")}, "${service.settings.root}").`);
      return;
    }
    const columns = await ctx.step("check load columns", () => loadColumns(ctx, service));
    if (typeof columns === "string") {
      ctx.notApplicable(columns);
      return;
    }
    const options = service.readOptions({
      format: spec?.format ?? undefined,
      encoding: spec?.encoding ?? undefined,
      headerLines: spec?.headerLines ?? undefined,
      delimiter: spec?.delimiter ?? undefined,
    });
    // Aborted when the test case ends, or as soon as the newest load turns out not to name it.
    const guessing = new AbortController();
    const abandon = (): void => guessing.abort();
    ctx.signal.addEventListener("abort", abandon, { once: true });
    const guess = guessNewestFile(service, raw, options, guessing.signal);
    try {
      const load = await ctx.step("find latest load", () => ctx.backend.latestLoad!(ctx.object, columns, { signal: ctx.signal }));
      await judge(ctx, { service, raw, options, guess: await guess, abandon }, load);
    } finally {
      abandon();
      ctx.signal.removeEventListener("abort", abandon);
    }
  },
};

/** The newest load's files counted (the guess's count used for the file it guessed) and the verdict. */
async function judge(
  ctx: TestCaseContext,
  { service, raw, options, guess, abandon }: { service: RawFileService; raw: RawFolder; options: RawFileReadOptions; guess: Guess | null; abandon: () => void },
  load: LatestLoad,
): Promise<void> {
  if (load.files.length === 0) {
    ctx.notApplicable(`${ctx.entry.object} has no load with a source file: its load columns are empty.`);
    return;
  }
  ctx.fact("Loaded at", load.loadedAt);
  ctx.fact("Files in latest load", load.files.length);
  ctx.detail("Encoding", options.encoding ?? "from the byte-order mark, else utf-8");
  ctx.detail("Header lines", options.headerLines ?? "by the header rule (first record all text: header)");
  const counted = await ctx.step("count raw file rows", async () => {
    const paths = await Promise.all(load.files.map((f) => service.resolveStored(ctx.at, raw, f.path).catch((error: unknown) => ({ error }))));
    const isGuess = paths.map((p) => typeof p === "string" && resolve(p) === guess?.path);
    if (!isGuess.includes(true)) abandon();
    const out = new Map<string, number | null>();
    for (const [i, file] of load.files.entries()) {
      try {
        const path = paths[i]!;
        if (typeof path !== "string") throw path.error;
        const guessed = isGuess[i] && guess ? await guess.count : null;
        const result = guessed ?? (await service.countFile(path, options, { signal: ctx.signal }));
        if (result.csv?.headerInferred) ctx.detail(`Header lines of ${file.path}`, `${result.csv.headerLines} (header rule)`);
        out.set(file.path, result.rows);
      } catch (error) {
        if (error instanceof AssayError && error.code === "RAW_FILE_NOT_FOUND") {
          ctx.warn(error.message);
          out.set(file.path, null);
        } else throw error;
      }
    }
    return out;
  });
  const files = load.files.map((f) => {
    const rawRows = counted.get(f.path) ?? null;
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
  const missing = differing.filter((f) => f.raw_rows === null).length;
  ctx.conclude(
    "NOK",
    `Stage rows (${n(stageTotal)}) differ from the raw files (${n(rawTotal)}) of the latest load: ${differing.length} of ${label} differ` +
      `${missing ? ` (${missing} not found in the raw folder)` : ""}.`,
  );
}
