import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError, type ErrorCode, type ErrorLocation } from "@assay/ports";

export type YamlPath = ReadonlyArray<PropertyKey>;

/**
 * A parsed YAML file that remembers where each value came from, so that an error found later
 * (by zod, or by a cross-check) can name the file, line and column of the offending key.
 */
export interface YamlSource {
  /** Path shown to the user (relative to the project root where possible). */
  file: string;
  value: unknown;
  /** Line and column of the value at `path`, or of its nearest existing parent. */
  locate(path: YamlPath, at?: "key" | "value"): ErrorLocation;
}

/** Parses YAML text; a syntax error becomes a ConfigError with line and column. */
export function parseYamlSource(text: string, file: string, code: ErrorCode = "CONFIG_SYNTAX"): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const message = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new ConfigError(code, `YAML syntax error: ${message}`, {
      where: { file, line: pos?.line, column: pos?.col },
      expected: "valid YAML",
      fix: "Fix the YAML at that position (check indentation, colons and quotes).",
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The yaml library refuses documents whose aliases expand too far (a "billion laughs" bomb).
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(code, `The YAML cannot be expanded: ${message.replace(/\.$/, "")} (aliases such as *name may be expanded at most 100 times)`, {
      where: { file },
      expected: "YAML that uses few aliases (*name)",
      fix: "Write the repeated values out, or use fewer aliases.",
    });
  }
  return {
    file,
    value,
    locate(path: YamlPath, at: "key" | "value" = "value"): ErrorLocation {
      const node = nearestNode(doc, path, at);
      const offset = node?.range?.[0];
      const key = path.map(String).join(".") || undefined;
      if (offset === undefined) return { file, key };
      const { line, col } = lineCounter.linePos(offset);
      return { file, line, column: col, key };
    },
  };
}

function nearestNode(doc: Document, path: YamlPath, at: "key" | "value"): Node | undefined {
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
      if (!pair) break;
      const last = index === path.length - 1;
      // Point at the key itself when asked (unknown keys), or when the value is missing.
      const target = (last && at === "key") || !pair.value ? pair.key : pair.value;
      node = target;
      found = target as Node;
      if (!pair.value) break;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      if (!node) break;
      found = node as Node;
    } else break;
  }
  return found;
}

/**
 * Turns the first zod issue into one clear ConfigError located in the YAML: unknown keys are
 * named with the keys that are allowed, type errors say what was expected.
 */
export function yamlIssueError(
  source: YamlSource,
  issue: z.core.$ZodIssue,
  code: ErrorCode,
  what: string,
  fix: string,
): ConfigError {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const where = source.locate([...path, key], "key");
    return new ConfigError(code, `Unknown key "${key}" in ${what}${path.length ? ` at ${path.join(".")}` : ""}`, {
      where: { ...where, key: [...path, key].join(".") },
      expected: "only the documented keys",
      fix: `Remove or rename "${key}". ${fix}`,
    });
  }
  const where = source.locate(path);
  const received = describeReceived(valueAt(source.value, path));
  return new ConfigError(code, `Invalid ${what}: ${issue.message}${received ? ` (found ${received})` : ""}`, {
    where: { ...where, key: path.map(String).join(".") || undefined },
    fix,
  });
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeReceived(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
