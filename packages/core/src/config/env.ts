import { ConfigError, type ErrorLocation } from "@assay/ports";
import type { YamlPath } from "../yaml-source.js";

/** `${env:NAME}` reads the environment; `$${env:NAME}` is the literal text `${env:NAME}`. */
const REFERENCE = /(\$?)\$\{env:([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface EnvInterpolation {
  /** The value with every reference replaced (a new object; the input is not changed). */
  value: unknown;
  /** Every value read from the environment: secrets that must never be shown. */
  secrets: string[];
  /** Paths of the strings that contained at least one reference. */
  envPaths: YamlPath[];
  /** References to unset variables (their text became ""), with the error to raise when used. */
  missing: Array<{ path: YamlPath; error: ConfigError }>;
}

/**
 * Replaces `${env:NAME}` in every string value of a parsed YAML document (keys are left alone).
 * A missing variable is reported in `missing` (an error naming the variable and the key, located
 * by `locate`); the caller decides whether it matters now or only when that value is used.
 */
export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  locate: (path: YamlPath) => ErrorLocation,
): EnvInterpolation {
  const secrets = new Set<string>();
  const envPaths: YamlPath[] = [];
  const missing: EnvInterpolation["missing"] = [];

  const visit = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === "string") return replaceIn(node, path);
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, visit(item, [...path, key])]));
    }
    return node;
  };

  const replaceIn = (text: string, path: PropertyKey[]): string => {
    let referenced = false;
    const result = text.replace(REFERENCE, (match: string, escape: string, name: string) => {
      if (escape === "$") return match.slice(1);
      referenced = true;
      const key = path.map(String).join(".");
      if (!VARIABLE_NAME.test(name)) {
        throw new ConfigError("CONFIG_INVALID", `Invalid environment reference \${env:${name}} in ${key}`, {
          where: locate(path),
          expected: "${env:NAME} with NAME made of letters, digits and '_', not starting with a digit",
          fix: "Correct the variable name, or write $${env:...} for the literal text.",
        });
      }
      const resolved = env[name];
      if (resolved === undefined) {
        const error = new ConfigError("CONFIG_INVALID", `Environment variable ${name} is not set (referenced by ${key})`, {
          where: locate(path),
          expected: `${name} to be set in the environment`,
          fix: `Set it (export ${name}=...) before running assay, or remove the reference.`,
        });
        missing.push({ path: [...path], error });
        return "";
      }
      if (resolved !== "") secrets.add(resolved);
      return resolved;
    });
    if (referenced) envPaths.push(path);
    return result;
  };

  return { value: visit(value, []), secrets: [...secrets], envPaths, missing };
}
