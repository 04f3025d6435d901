#!/usr/bin/env node
// Generates docs/configuration.md from the zod schemas that validate assay.config.yaml, test set
// files and the options of assay's own plugins, so that the reference cannot drift from them.
//
//   node scripts/config-docs.mjs           writes docs/configuration.md (build the packages first)
//   node scripts/config-docs.mjs --check   exits 1 when docs/configuration.md is stale
//
// Keys, types, bounds and defaults come from the schemas (z.toJSONSchema). Descriptions come from
// a schema's own .describe()/.meta() when it has one, else from DESCRIPTIONS below: a key without
// either is an error, so a new config key cannot be added without documenting it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { AssayConfigFile, TestSetYaml } from "@assay/core";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CONFIG_DOC = path.join(repoRoot, "docs", "configuration.md");

/** Descriptions of assay.config.yaml and test set keys, by the path the tables show. */
const DESCRIPTIONS = {
  "reporters": "Reports written after every run (`--reporter` replaces the list for one run): reporter names, or objects with `use`, `file` and `options`.",
  "reporters[].use": "The reporter plugin's registered name (`junit`, `markdown`, `html`, `json`, `xlsx`).",
  "reporters[].file": "One file (relative to the config file) for every run of an invocation; default: `<store>/reports/<run id>.<ext>`.",
  "reporters[].options": "The reporter plugin's own options.",
  "run.callTimeoutMs": "Time limit in milliseconds of each call to a plugin outside a test case (storing a result, notifying, creating or closing a backend); a plugin that misses it is named and left behind.",
  "rawFiles": "Where STAGECOUNT finds the raw files of stage tables, and how it reads them (the defaults of every domain).",
  "rawFiles.root": "The raw root of an instance, a template over `{domain}`, `{stage}`, `{instance}`, relative to the config file's folder.",
  "rawFiles.stagePrefix": "A stage table `<stagePrefix>x` is loaded from the folder `x` under the raw root.",
  "rawFiles.objectPrefix": "The folder `x` is listed as the test object `<objectPrefix>x` (kind `files`).",
  "rawFiles.loadColumns": "The stage table's load columns.",
  "rawFiles.loadColumns.timestamp": "The column holding when a row was loaded; its newest value is the latest load.",
  "rawFiles.loadColumns.file": "The column holding the raw file a row came from.",
  "rawFiles.recursive": "Files in sub-folders of a raw folder belong to it.",
  "rawFiles.file": "How raw files are read; a stagecount spec overrides it key by key.",
  "rawFiles.file.format": "`csv` or `parquet`; default: `.parquet` files are Parquet, others CSV.",
  "rawFiles.file.encoding": "The files' encoding; default: from a byte-order mark, else utf-8.",
  "rawFiles.file.headerLines": "Leading records that are headers; default: the header rule (see core's README, \"Raw files and STAGECOUNT\").",
  "rawFiles.file.delimiter": "The field delimiter (one character); default `,`.",
  "domains.<domain>.schema.requireDeclaredKeys": "SCHEMA: a table must declare the spec's primary key; default false (a table without a declared key passes the key check with a fact saying so).",
  "domains.<domain>.rawFiles": "This domain's raw-file settings: any key of the top-level `rawFiles`, overriding it.",
  "domains.<domain>.rawFiles.root": "The raw root of an instance, a template over `{domain}`, `{stage}`, `{instance}`, relative to the config file's folder.",
  "domains.<domain>.rawFiles.stagePrefix": "A stage table `<stagePrefix>x` is loaded from the folder `x` under the raw root.",
  "domains.<domain>.rawFiles.objectPrefix": "The folder `x` is listed as the test object `<objectPrefix>x` (kind `files`).",
  "domains.<domain>.rawFiles.loadColumns": "The stage table's load columns.",
  "domains.<domain>.rawFiles.loadColumns.timestamp": "The column holding when a row was loaded; its newest value is the latest load.",
  "domains.<domain>.rawFiles.loadColumns.file": "The column holding the raw file a row came from.",
  "domains.<domain>.rawFiles.recursive": "Files in sub-folders of a raw folder belong to it.",
  "domains.<domain>.rawFiles.file": "How raw files are read; a stagecount spec overrides it key by key.",
  "domains.<domain>.rawFiles.file.format": "`csv` or `parquet`; default: `.parquet` files are Parquet, others CSV.",
  "domains.<domain>.rawFiles.file.encoding": "The files' encoding; default: from a byte-order mark, else utf-8.",
  "domains.<domain>.rawFiles.file.headerLines": "Leading records that are headers; default: the header rule (see core's README, \"Raw files and STAGECOUNT\").",
  "domains.<domain>.rawFiles.file.delimiter": "The field delimiter (one character); default `,`.",
  plugins: "Extra plugin packages (names resolved from the project folder) or paths to plugin folders, loaded before the project's dependencies and the CLI's bundled plugins.",
  backend: "The backend every domain uses unless it names its own.",
  "backend.use": "The backend plugin's registered name (`duckdb`, `postgres`, ...; see `assay plugins`).",
  "backend.options": "The plugin's own options, validated by the plugin (see the tables below and the plugin's README). Strings may hold `{domain}`, `{stage}`, `{instance}` and `${env:NAME}`.",
  connections: "Named backends besides the domains' own, for cross-database COMPARE: a compare spec whose first line is `-- assay: connection=<name>` runs its expected query on that connection, the test object stays on its domain's backend. Each is created when a test case first needs it, shared by the run and closed when it ends.",
  "connections.<name>": "One connection, written like `backend:`.",
  "connections.<name>.use": "The backend plugin's registered name (`postgres`, `duckdb`, ...).",
  "connections.<name>.options": "The plugin's own options; `{domain}`, `{stage}`, `{instance}` map the run's coordinates as for `backend:`, `${env:NAME}` reads the environment.",
  storage: "Where results are stored: a location URL whose scheme picks the storage plugin (`file:.assay`, `memory:name`), or an object with `location` and `options`.",
  "storage.location": "The location URL; `file:` paths are relative to the config file's folder.",
  "storage.options": "The storage plugin's own options.",
  format: "The formatter results are stored with.",
  notifiers: "Who receives live run events: plugin names, or objects with `use` and `options`.",
  "notifiers[].use": "The notifier plugin's registered name.",
  "notifiers[].options": "The notifier plugin's own options.",
  run: "How test cases run.",
  "run.concurrency": "Test cases running at the same time (`--concurrency` overrides it).",
  "run.timeoutMs": "Time limit of one test case in milliseconds; past it the test case is ERROR.",
  testsets: "The folder of test set files (`*.yaml`), relative to the config file.",
  domains: "The business areas (domains) by name.",
  "domains.<domain>": "One domain.",
  "domains.<domain>.backend": "This domain's backend, instead of the top-level one.",
  "domains.<domain>.backend.use": "The backend plugin's registered name.",
  "domains.<domain>.backend.options": "The plugin's own options.",
  "domains.<domain>.stages": "The domain's stages (environments such as `test`, `uat`), each with its instances.",
  "domains.<domain>.stages.<stage>": "The stage's instances (copies such as `alpha`, `main`).",
  "domains.<domain>.specs": "Spec folder per stage, relative to the config file; a stage not listed uses `specs/<domain>/<stage>`.",
  "domains.<domain>.specs.<stage>": "The stage's spec folder; specs are found recursively below it.",
  "domains.<domain>.compare": "COMPARE settings of the domain.",
  "domains.<domain>.compare.tolerance": "Numeric tolerance: two numbers match when they differ by at most it.",
  "domains.<domain>.compare.tolerance.default": "Tolerance of every numeric column without its own entry.",
  "domains.<domain>.compare.tolerance.columns": "Tolerance per column name.",
  "domains.<domain>.compare.tolerance.columns.<column>": "The column's absolute tolerance.",
  "domains.<domain>.compare.maxDiffRows": "Differing rows a COMPARE result keeps (the counts always cover every row).",
  "domains.<domain>.compare.sample": "Sampled COMPARE for tables too large to compare whole; absent: every row.",
  "domains.<domain>.compare.sample.percent": "Share of keys compared: a key is kept when its hash falls under this percentage (the same keys on both sides).",
  "domains.<domain>.compare.sample.seed": "Seed of the key hash; change it to sample other keys.",
  "domains.<domain>.schema": "SCHEMA settings of the domain.",
  "domains.<domain>.schema.compareTypes": "Harmonised base types whose mismatch makes SCHEMA NOK (e.g. `[int, string, decimal, date]`); absent: every type is compared.",
  name: "The test set's name (`assay run <name>`); unique among the project's test sets.",
  description: "Free text.",
  domain: "The domain of every test case: a key of `domains:` in the config.",
  stage: "The stage it runs at by default (`--stage` overrides it).",
  instance: "The instance it runs at by default (`--instance` overrides it).",
  labels: "Free labels.",
  testcases: "The test cases, run in this order (up to `run.concurrency` at a time).",
  "testcases[].object": "The test object: a table, view or raw-file object at the run's coordinates.",
  "testcases[].type": "The test type: `schema`, `rowcount`, `compare`, `stagecount` (read case-insensitively).",
  "testcases[].scenario": "Selects the specs of this type named `<object>.<type>.<scenario>.<ext>`.",
  "testcases[].comment": "Free text.",
};

const code = (v) => `\`${v}\``;
const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");

/** A JSON schema's type in words: `integer 1–256`, `list of string`, `string or object`. */
function typeOf(s) {
  if (s.anyOf) return s.anyOf.map(typeOf).join(" or ");
  if (s.enum) return `one of ${s.enum.map(code).join(", ")}`;
  if (s.const !== undefined) return code(s.const);
  if (s.type === "array") return `list of ${typeOf(s.items ?? {})}${s.minItems ? ` (at least ${s.minItems})` : ""}`;
  if (s.type === "object") return s.properties ? "object" : `map of ${s.propertyNames?.pattern ? "name" : "text"} → ${typeOf(s.additionalProperties ?? {})}`;
  if (s.type === "integer" || s.type === "number") {
    const bounds = [];
    if (s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`);
    if (s.exclusiveMinimum !== undefined) bounds.push(`> ${s.exclusiveMinimum}`);
    if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) bounds.push(`≤ ${s.maximum}`);
    return `${s.type === "integer" ? "whole number" : "number"}${bounds.length ? ` ${bounds.join(", ")}` : ""}`;
  }
  if (s.type === "string") return s.minLength === 1 && s.maxLength === 1 ? "one character" : "text";
  if (s.type === "boolean") return "true or false";
  return "any";
}

/** Rows for every key under a JSON schema, depth first, in schema order. */
function rows(schema, prefix, defaults, out, { describe = true } = {}) {
  const visit = (s, key, required, fallbackDefault) => {
    const described = s.description ?? DESCRIPTIONS[key];
    if (describe && described === undefined) throw new Error(`No description for ${key}: add .describe() to its schema or an entry to DESCRIPTIONS in scripts/config-docs.mjs`);
    const def = s.default ?? fallbackDefault;
    out.push({ key, type: typeOf(s), required, default: def === undefined ? "" : code(JSON.stringify(def)), description: described ?? "" });
    children(s, key);
  };
  const children = (s, key) => {
    const objectLike = s.anyOf?.find((a) => a.type === "object" && a.properties) ?? s;
    if (objectLike.type === "object" && objectLike.properties) {
      for (const [name, child] of Object.entries(objectLike.properties)) visit(child, key ? `${key}.${name}` : name, (objectLike.required ?? []).includes(name));
    } else if (objectLike.type === "object" && objectLike.additionalProperties && Object.keys(objectLike.additionalProperties).length > 0) {
      const placeholder = { "domains": "<domain>", "stages": "<stage>", "specs": "<stage>", "columns": "<column>" }[key.split(".").pop()] ?? "<name>";
      visit(objectLike.additionalProperties, `${key}.${placeholder}`, false);
    } else if (objectLike.type === "array" && objectLike.items) {
      const item = objectLike.items.anyOf?.find((a) => a.type === "object") ?? objectLike.items;
      if (item.type === "object" && item.properties) children(item, `${key}[]`);
    }
  };
  for (const [name, child] of Object.entries(schema.properties ?? {})) visit(child, prefix + name, (schema.required ?? []).includes(name), defaults?.[name]);
  return out;
}

function table(list) {
  // Plugin option tables carry no descriptions (the plugin's README explains each option).
  if (list.every((r) => r.description === "")) {
    const head = "| option | type | required | default |\n|---|---|---|---|";
    return `${head}\n${list.map((r) => `| ${code(r.key)} | ${cell(r.type)} | ${r.required ? "yes" : ""} | ${cell(r.default)} |`).join("\n")}`;
  }
  const head = "| key | type | required | default | description |\n|---|---|---|---|---|";
  return `${head}\n${list.map((r) => `| ${code(r.key)} | ${cell(r.type)} | ${r.required ? "yes" : ""} | ${cell(r.default)} | ${cell(r.description)} |`).join("\n")}`;
}

const jsonSchema = (schema) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

/** assay's own plugins, whose options the reference documents (the ones this workspace builds). */
async function pluginOptionTables() {
  const names = ["backend-duckdb", "backend-postgres", "backend-demo", "backend-dummy", "storage-file", "storage-dict", "formatter-json", "notifier-stdout", "notifier-memory"];
  const sections = [];
  for (const dir of names) {
    const pkgFile = path.join(repoRoot, "packages", dir, "package.json");
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
    const plugin = (await import(path.join(repoRoot, "packages", dir, "dist", "index.js"))).default;
    const schema = jsonSchema(plugin.optionsSchema);
    const list = rows(schema, "", undefined, [], { describe: false });
    const body = list.length ? table(list) : "No options.";
    sections.push(`### ${plugin.kind} \`${plugin.name}\` (${pkg.name})\n\n${plugin.description ?? pkg.description ?? ""}\nMeanings: [packages/${dir}/README.md](../packages/${dir}/README.md).\n\n${body}`);
  }
  return sections.join("\n\n");
}

export async function renderConfigDoc() {
  const configRows = rows(jsonSchema(AssayConfigFile), "", AssayConfigFile.parse({}), []);
  const testSetRows = rows(jsonSchema(TestSetYaml), "", undefined, []);
  return `# Configuration reference

<!-- Generated by scripts/config-docs.mjs from the zod schemas: do not edit by hand.
     Regenerate with: pnpm run docs:config -->

## assay.config.yaml

Found by walking up from the working directory, or given with \`--config FILE\`. Every object is
strict: an unknown or misspelt key is an error naming its file, line and column. Relative paths
resolve against the folder of the config file. \`\${env:NAME}\` in any string reads the environment
variable NAME; such values are secrets and never appear in \`assay config\`, results or messages.
A project without a config file runs with every default below.

${table(configRows)}

Names (domains, stages, instances) use letters, digits, \`_\`, \`.\` and \`-\`.

## Test set files (\`testsets/*.yaml\`)

${table(testSetRows)}

## Options of assay's plugins

Given under \`options:\` of the plugin's selection. Each plugin validates its own options (strict:
an unknown key is refused) and fills in the defaults before it is created.

${await pluginOptionTables()}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await renderConfigDoc();
  if (process.argv.includes("--check")) {
    const current = readFileSync(CONFIG_DOC, "utf8");
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), CONFIG_DOC)} is stale: run pnpm run docs:config and commit the result.`);
      process.exit(1);
    }
  } else {
    writeFileSync(CONFIG_DOC, text);
    console.log(`Wrote ${CONFIG_DOC}`);
  }
}
