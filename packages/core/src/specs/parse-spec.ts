import type { Spec } from "../model.js";
import { SPEC_EXTENSIONS, type SpecFileName } from "./file-name.js";
import { parseSchemaCsv } from "./parse-schema-csv.js";
import { parseSchemaXlsx } from "./parse-schema-xlsx.js";
import { parseSchemaYaml } from "./parse-schema-yaml.js";
import { parseSqlSpec } from "./parse-sql.js";
import { parseStagecountSpec } from "./parse-stagecount.js";
import { errorText, failedSpec, type SpecOrigin } from "./spec-base.js";

/**
 * Parses one spec file. Never throws: whatever goes wrong (bad encoding, bad YAML, a workbook
 * without the sheet) becomes spec.error, which makes only the test cases using it N/A.
 */
export async function parseSpec(name: SpecFileName, bytes: Uint8Array, origin: SpecOrigin): Promise<Spec> {
  const allowed = SPEC_EXTENSIONS[name.type];
  if (!allowed.includes(name.ext)) {
    return failedSpec(name.type, origin, `${origin.path}: a ${name.type} spec must end in ${allowed.map((e) => `.${e}`).join(", ")}, not .${name.ext}.`);
  }
  try {
    switch (name.type) {
      case "schema":
        if (name.ext === "csv") return parseSchemaCsv(bytes, origin);
        if (name.ext === "xlsx") return await parseSchemaXlsx(bytes, origin);
        return parseSchemaYaml(bytes, origin);
      case "compare":
      case "rowcount":
        return parseSqlSpec(name.type, bytes, origin);
      case "stagecount":
        return parseStagecountSpec(bytes, origin);
    }
  } catch (error) {
    const text = errorText(error);
    const located = text.startsWith(origin.path) ? text : `${origin.path}: ${text}`;
    return failedSpec(name.type, origin, located);
  }
}
