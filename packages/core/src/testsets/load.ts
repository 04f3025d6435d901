import { pickIssue } from "../specs/pick-issue.js";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ConfigError, isAssayError, type AssayError } from "@assay/ports";
import type { AssayConfig } from "../config/schema.js";
import type { TestSet } from "../model.js";
import { builtinTestTypes } from "../testtypes/builtin.js";
import type { TestTypeRegistry } from "../testtypes/registry.js";
import { parseYamlSource, yamlIssueError, type YamlSource } from "../yaml-source.js";
import { checkTestSet } from "./check.js";
import { TestSetYaml } from "./schema.js";

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
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? "TESTSET_NOT_FOUND" : "TESTSET_INVALID", `The test set file cannot be read: ${(error as Error).message}`, {
      where: { file: name },
      fix: "Check the path.",
    });
  }
  const source = parseYamlSource(text, name, "TESTSET_INVALID");
  if (source.value === null || typeof source.value !== "object" || Array.isArray(source.value)) {
    throw new ConfigError("TESTSET_INVALID", "The test set file is not a mapping", { where: { file: name }, expected: "name:, domain:, stage:, instance:, testcases:", fix: FIX });
  }
  const parsed = TestSetYaml.safeParse(source.value);
  if (!parsed.success) throw zodError(source, pickIssue(parsed.error.issues));
  return checkTestSet(config, source, parsed.data, testTypes);
}

/** Every `*.yaml`/`*.yml` in the test set folder; broken files are returned as errors, not thrown. */
export async function loadTestSets(
  config: AssayConfig,
  testTypes: TestTypeRegistry = builtinTestTypes(),
): Promise<{ testSets: TestSet[]; errors: AssayError[] }> {
  const folder = testSetFolder(config);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { testSets: [], errors: [] };
    throw error;
  }
  const testSets: TestSet[] = [];
  const errors: AssayError[] = [];
  for (const n of names) {
    try {
      const set = await loadTestSetFile(config, join(folder, n), testTypes);
      const twin = testSets.find((s) => s.name.toLowerCase() === set.name.toLowerCase());
      if (twin) {
        throw new ConfigError("TESTSET_INVALID", `Test set name "${set.name}" is also used by ${twin.file}`, {
          where: { file: set.file, key: "name" },
          expected: "a name unique among the test sets",
          fix: "Rename one of the two test sets.",
        });
      }
      testSets.push(set);
    } catch (error) {
      if (!isAssayError(error)) throw error;
      errors.push(error);
    }
  }
  return { testSets, errors };
}

/** A test set by file path, or by name (or file name without extension), case-insensitively. */
export async function findTestSet(config: AssayConfig, nameOrPath: string, testTypes: TestTypeRegistry = builtinTestTypes()): Promise<TestSet> {
  const asPath = resolve(config.root, nameOrPath);
  const isFile = await stat(asPath).then((s) => s.isFile(), () => false);
  if (isFile) return loadTestSetFile(config, asPath, testTypes);
  const { testSets, errors } = await loadTestSets(config, testTypes);
  const wanted = nameOrPath.toLowerCase();
  const found =
    testSets.find((s) => s.name.toLowerCase() === wanted) ??
    testSets.find((s) => basename(s.file, extname(s.file)).toLowerCase() === wanted);
  if (found) return found;
  const broken = errors.find((e) => e.where?.file && basename(e.where.file, extname(e.where.file)).toLowerCase() === wanted);
  if (broken) throw broken;
  const known = testSets.map((s) => s.name);
  throw new ConfigError("TESTSET_NOT_FOUND", `No test set named "${nameOrPath}" and no such file`, {
    where: { file: shown(config, testSetFolder(config)) },
    expected: known.length ? `one of: ${known.join(", ")}` : "a test set file in the test set folder",
    fix: errors.length
      ? `${errors.length} test set file(s) could not be read; run assay list testsets to see why.`
      : "Give the test set's name or the path of its file.",
  });
}
