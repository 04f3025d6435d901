import { pickIssue } from "../specs/pick-issue.js";
import { readdir } from "node:fs/promises";
import { basename, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ConfigError, isAssayError, type AssayError } from "@assay/ports";
import type { AssayConfig } from "../config/schema.js";
import type { TestSet } from "../model.js";
import { builtinTestTypes } from "../testtypes/builtin.js";
import type { TestTypeRegistry } from "../testtypes/registry.js";
import { parseYamlSource, yamlIssueError, type YamlSource } from "../yaml-source.js";
import { checkTestSet } from "./check.js";
import { TestSetYaml } from "./schema.js";
import { notRegularFile, readUserTextFile } from "../text-file.js";

const FIX = "A test set has name, domain, stage, instance, optional description and labels, and testcases: [{ object, type, scenario?, comment? }].";

/** The folder of test set files (absolute). */
export function testSetFolder(config: AssayConfig): string {
  return resolve(config.root, config.testsets);
}

function shown(config: AssayConfig, file: string): string {
  const rel = relative(config.root, file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel.split(sep).join("/");
}

function zodError(source: YamlSource, issue: Parameters<typeof yamlIssueError>[1]): ConfigError {
  const parentPath = issue.path.slice(0, -1);
  const key = issue.path[issue.path.length - 1];
  let parent: unknown = source.value;
  for (const segment of parentPath) parent = (parent as Record<PropertyKey, unknown> | undefined)?.[segment];
  const missing =
    issue.code === "invalid_type" && key !== undefined && parent !== null && typeof parent === "object" &&
    (parent as Record<PropertyKey, unknown>)[key] === undefined;
  if (missing) {
    return new ConfigError("TESTSET_INVALID", `Missing key "${String(key)}"${parentPath.length ? ` in ${parentPath.join(".")}` : ""}`, {
      where: { ...source.locate(parentPath), key: issue.path.join(".") },
      expected: `a value for ${String(key)}`,
      fix: FIX,
    });
  }
  return yamlIssueError(source, issue, "TESTSET_INVALID", "test set", FIX);
}

/** Reads and validates one test set file. Throws ConfigError TESTSET_INVALID naming file and line. */
export async function loadTestSetFile(config: AssayConfig, file: string, testTypes: TestTypeRegistry = builtinTestTypes()): Promise<TestSet> {
  const path = resolve(config.root, file);
  const name = shown(config, path);
  if ((await notRegularFile(path)) === "missing") {
    throw new ConfigError("TESTSET_NOT_FOUND", `The test set file ${name} does not exist`, { where: { file: name }, fix: "Check the path." });
  }
  const text = await readUserTextFile(path, name, "TESTSET_INVALID", "test set file");
  const source = parseYamlSource(text, name, "TESTSET_INVALID");
  if (source.value === null || typeof source.value !== "object" || Array.isArray(source.value)) {
    throw new ConfigError("TESTSET_INVALID", "The test set file is not a mapping", { where: { file: name }, expected: "name:, domain:, stage:, instance:, testcases:", fix: FIX });
  }
  const parsed = TestSetYaml.safeParse(source.value);
  if (!parsed.success) throw zodError(source, pickIssue(parsed.error.issues));
  return checkTestSet(config, source, parsed.data, testTypes);
}

/** Two or more test set files that give the same name: none of them runs by that name. */
export class DuplicateTestSetName extends ConfigError {
  constructor(
    readonly testSetName: string,
    readonly files: string[],
  ) {
    super("TESTSET_INVALID", `${files.length} test set files are named "${testSetName}": ${files.join(", ")}`, {
      where: { file: files[1], key: "name" },
      expected: "a name unique among the test sets (compared case-insensitively)",
      fix: "Rename all but one of them; until then none of them runs by that name.",
    });
  }
}

/** A test set file that could not be loaded, with the name it seems to declare (for run-by-name). */
export interface BrokenTestSet {
  error: AssayError;
  /** The `name:` line of the file, read leniently, when one is there. */
  declaredName: string | null;
}

/**
 * Every `*.yaml`/`*.yml` in the test set folder; broken files are returned as errors, not
 * thrown. Files that share a name are all returned as errors (DuplicateTestSetName), never
 * one of them silently.
 */
export async function loadTestSets(
  config: AssayConfig,
  testTypes: TestTypeRegistry = builtinTestTypes(),
): Promise<{ testSets: TestSet[]; errors: AssayError[]; broken: BrokenTestSet[] }> {
  const folder = testSetFolder(config);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { testSets: [], errors: [], broken: [] };
    throw new ConfigError("CONFIG_INVALID", `The test set folder ${shown(config, folder)} cannot be listed: ${code === "ENOTDIR" ? "it is not a folder" : (error as Error).message}`, {
      where: { file: config.file, key: "testsets" },
      expected: "testsets: naming a folder of test set files (relative to the config file)",
      fix: "Point testsets: at the folder that holds the test set files.",
    });
  }
  const loaded: TestSet[] = [];
  const broken: BrokenTestSet[] = [];
  for (const n of names) {
    const file = join(folder, n);
    try {
      loaded.push(await loadTestSetFile(config, file, testTypes));
    } catch (error) {
      if (!isAssayError(error)) throw error;
      broken.push({ error, declaredName: await declaredName(file) });
    }
  }
  const byName = new Map<string, TestSet[]>();
  for (const set of loaded) byName.set(set.name.toLowerCase(), [...(byName.get(set.name.toLowerCase()) ?? []), set]);
  const testSets: TestSet[] = [];
  for (const group of byName.values()) {
    if (group.length === 1) testSets.push(group[0]!);
    else broken.push({ error: new DuplicateTestSetName(group[0]!.name, group.map((s) => s.file)), declaredName: group[0]!.name });
  }
  testSets.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { testSets, errors: broken.map((b) => b.error), broken };
}

/** The `name:` a file declares, read without parsing (the file may be broken); only regular files are opened. */
async function declaredName(file: string): Promise<string | null> {
  if ((await notRegularFile(file)) !== null) return null;
  try {
    const text = await readUserTextFile(file, file, "TESTSET_INVALID", "test set file");
    const m = /^name:[ \t]*(["']?)(.+?)\1[ \t]*(?:#.*)?$/m.exec(text);
    return m ? m[2]!.trim() : null;
  } catch {
    return null;
  }
}

/**
 * A test set by file path (relative to the working directory `cwd`, else to the project root),
 * or by name (or file name without extension), case-insensitively. A path that exists but is
 * not a regular file, a name used by two files, and a broken file that declares the name are
 * errors naming the file(s).
 */
export async function findTestSet(
  config: AssayConfig,
  nameOrPath: string,
  testTypes: TestTypeRegistry = builtinTestTypes(),
  cwd?: string,
): Promise<TestSet> {
  const candidates = [...new Set([...(cwd !== undefined ? [resolve(cwd, nameOrPath)] : []), resolve(config.root, nameOrPath)])];
  for (const asPath of candidates) {
    const problem = await notRegularFile(asPath);
    if (problem === null) return loadTestSetFile(config, asPath, testTypes);
    if (problem !== "missing") {
      throw new ConfigError("TESTSET_INVALID", `The test set file ${shown(config, asPath)} cannot be read: ${problem}`, {
        where: { file: shown(config, asPath) },
        expected: "a regular YAML file, or the name of a test set",
        fix: "Give the path of a test set file or a test set's name.",
      });
    }
  }
  const { testSets, broken } = await loadTestSets(config, testTypes);
  const wanted = nameOrPath.toLowerCase();
  const duplicate = broken.find((b) => b.error instanceof DuplicateTestSetName && b.error.testSetName.toLowerCase() === wanted);
  if (duplicate) throw duplicate.error;
  const found =
    testSets.find((s) => s.name.toLowerCase() === wanted) ??
    testSets.find((s) => basename(s.file, extname(s.file)).toLowerCase() === wanted);
  if (found) return found;
  const hit =
    broken.find((b) => b.declaredName?.toLowerCase() === wanted) ??
    broken.find((b) => b.error.where?.file && basename(b.error.where.file, extname(b.error.where.file)).toLowerCase() === wanted);
  if (hit) throw hit.error;
  const known = testSets.map((s) => s.name);
  throw new ConfigError("TESTSET_NOT_FOUND", `No test set named "${nameOrPath}" and no such file`, {
    where: { file: shown(config, testSetFolder(config)) },
    expected: known.length ? `one of: ${known.join(", ")}` : "a test set file in the test set folder",
    fix: broken.length
      ? `${broken.length} test set file(s) could not be read (${broken.map((b) => b.error.where?.file ?? "?").join(", ")}); assay list testsets shows why.`
      : "Give the test set's name or the path of its file.",
  });
}
