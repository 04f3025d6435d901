import type { Column, CompareRequest, CompareResult, Row } from "@assay/ports";
import { checksumCompare } from "../compare/checksum-compare.js";
import { mergeCompare } from "../compare/merge.js";
import { compareOk, compareSummary } from "../compare/summary.js";
import type { TestCaseContext, TestTypeDefinition } from "./types.js";
import { recordQuery } from "./query-detail.js";

/** Query column names by lower-cased name: keys and columns are matched case-insensitively. */
function byLowerName(columns: readonly Column[]): Map<string, Column> {
  return new Map(columns.map((c) => [c.name.toLowerCase(), c]));
}

/** Renames the object's columns to the query's spelling where only the case differs. */
async function* renamed(rows: AsyncIterable<Row>, names: Map<string, string>): AsyncIterable<Row> {
  for await (const row of rows) {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) out[names.get(k) ?? k] = v;
    yield out;
  }
}

function sameKeys(declared: readonly string[] | null, keys: readonly string[]): boolean {
  const lower = (names: readonly string[]) => names.map((n) => n.toLowerCase()).sort().join("\u0000");
  return declared !== null && declared.length > 0 && lower(declared) === lower(keys);
}

function recordResult(ctx: TestCaseContext, result: CompareResult): void {
  ctx.fact("Expected rows", result.expectedRows);
  ctx.fact("Actual rows", result.actualRows);
  ctx.fact("Matched rows", result.matchedRows);
  ctx.fact("Missing rows", result.missingRows);
  ctx.fact("Extra rows", result.extraRows);
  ctx.fact("Mismatched rows", result.mismatchedRows);
  ctx.fact("Duplicate keys in expected", result.duplicateKeys.expected);
  ctx.fact("Duplicate keys in actual", result.duplicateKeys.actual);
  for (const column of result.columns) if (column.mismatches > 0) ctx.fact(`Mismatches in ${column.name}`, column.mismatches);
  if (result.sample) ctx.fact("Sample", `${result.sample.percent}% of keys (seed ${result.sample.seed})`);
  if (result.truncated) ctx.detail("Diff truncated", `first ${result.diff.length} differing rows kept`);
  if (result.diff.length > 0) ctx.diff("compare_diff", result.diff);
}

/**
 * COMPARE: every row of the spec query against the object, joined on the schema spec's
 * primary keys. In the engine when the backend can; else by merging two key-ordered scans.
 */
export const compareTestType: TestTypeDefinition = {
  name: "COMPARE",
  description: "The object holds exactly the rows the compare spec's query returns, matched on the schema spec's primary keys.",
  requiredSpecs: ["compare", "schema"],
  optionalSpecs: [],
  // No "not empty": an empty object against an empty query is OK, against rows NOK with each row missing.
  preconditions: ["specs unique", "specs valid", "primary keys specified", "test object exists"],
  async execute(ctx) {
    const sqlSpec = ctx.spec("compare")!;
    const schemaSpec = ctx.spec("schema")!;
    const specKeys = schemaSpec.primaryKeys!;
    ctx.fact("Compare SQL", sqlSpec.path);
    ctx.fact("Schema specification", schemaSpec.path);
    ctx.fact("Primary keys", specKeys.join(", "));
    recordQuery(ctx, sqlSpec);
    const { backend, signal } = ctx;
    const settings = ctx.domain.compare;
    const sampled = settings.sample !== undefined;
    const connection = sqlSpec.connection ?? null;
    if (connection) ctx.fact("Connection of the compare SQL", connection);
    // The expected query runs on the named connection; the test object stays on the domain's backend.
    const source = connection ? await ctx.step(`open connection ${connection}`, () => ctx.connection(connection)) : backend;
    const caps = backend.capabilities;
    const canScan = (b: typeof backend) => b.capabilities.orderedScan && typeof b.scan === "function";
    const canChecksum = (b: typeof backend) => b.capabilities.checksum === true && typeof b.checksum === "function" && typeof b.checksumRows === "function";
    const inEngine = !connection && caps.compare && typeof backend.compare === "function" && (!sampled || caps.sampledCompare);
    const checksum = connection !== null && !sampled && canChecksum(source) && canChecksum(backend);
    const merge = !inEngine && !checksum && canScan(backend) && canScan(source);
    if (!inEngine && !checksum && !merge) {
      const needs = connection
        ? `checksum or orderedScan on both sides (the connection ${connection} uses ${ctx.config.connections?.[connection]?.use ?? "?"})`
        : sampled ? "compare with sampledCompare, or orderedScan" : "compare or orderedScan";
      ctx.notApplicable(`The backend of domain ${ctx.at.domain} (${ctx.domain.backend.use}) cannot run COMPARE: it lacks the capability ${needs}.`);
      return;
    }

    const queryColumns = await ctx.step("get query schema", () => source.getQuerySchema(sqlSpec.sql!, ctx.at, { signal }));
    const queryByName = byLowerName(queryColumns);
    const missingKeys = specKeys.filter((k) => !queryByName.has(k.toLowerCase()));
    if (missingKeys.length > 0) {
      ctx.fact("Primary keys missing in query", missingKeys.join(", "));
      ctx.notApplicable(
        `The compare query ${sqlSpec.path} lacks the primary key column${missingKeys.length > 1 ? "s" : ""} ${missingKeys.join(", ")} ` +
          `(it returns ${queryColumns.map((c) => c.name).join(", ")}); COMPARE matches rows on the schema spec's keys.`,
      );
      return;
    }
    const keys = specKeys.map((k) => queryByName.get(k.toLowerCase())!.name);
    const keySet = new Set(keys);
    const columns = queryColumns.map((c) => c.name).filter((c) => !keySet.has(c));
    const objectSchema = await ctx.step("get object schema", () => backend.getSchema(ctx.object, { signal }));
    const objectByName = byLowerName(objectSchema.columns);
    const absent = [...keys, ...columns].filter((c) => !objectByName.has(c.toLowerCase()));
    if (absent.length > 0) {
      ctx.notApplicable(`Test object ${ctx.entry.object} lacks column${absent.length > 1 ? "s" : ""} the compare query returns: ${absent.join(", ")}.`);
      return;
    }

    const request: CompareRequest = {
      at: ctx.at,
      expectedSql: sqlSpec.sql!,
      object: ctx.entry.object,
      keys,
      columns,
      tolerance: settings.tolerance,
      maxDiffRows: settings.maxDiffRows,
      ...(settings.sample ? { sample: settings.sample } : {}),
    };
    ctx.detail("Tolerance", JSON.stringify(settings.tolerance));
    let result: CompareResult;
    if (inEngine) {
      ctx.fact("Method", "in-engine compare");
      result = await ctx.step("compare in engine", () => backend.compare!(request, { signal }));
    } else if (checksum) {
      ctx.fact("Method", "checksums of key segments across engines");
      const types = Object.fromEntries(queryColumns.map((c) => [c.name, c.type]));
      const crossed = await checksumCompare(
        { backend: source, at: ctx.at, source: { kind: "query", sql: sqlSpec.sql! } },
        { backend, at: ctx.at, source: { kind: "object", name: ctx.entry.object } },
        request,
        // A declared primary key on exactly the compare keys is enforced by the engines that report one.
        { types, actualTypes: Object.fromEntries(objectSchema.columns.map((c) => [c.name, c.type])), signal, step: (name, work) => ctx.step(name, work), uniqueKeys: { actual: sameKeys(objectSchema.primaryKeys, keys) } },
      );
      ctx.detail("Rows read into Node", crossed.stats.rows);
      ctx.detail("Segment checksums read into Node", crossed.stats.summaryRows);
      result = crossed.result;
    } else {
      ctx.fact("Method", "merge of key-ordered scans");
      const wanted = [...keys, ...columns];
      const objectNames = new Map(wanted.map((c) => [objectByName.get(c.toLowerCase())!.name, c]));
      const types = Object.fromEntries(queryColumns.map((c) => [c.name, c.type]));
      result = await ctx.step("merge compare", () =>
        mergeCompare(
          source.scan!({ at: ctx.at, source: { kind: "query", sql: sqlSpec.sql! }, orderBy: keys, columns: wanted }, { signal }),
          renamed(
            backend.scan!({ at: ctx.at, source: { kind: "object", name: ctx.entry.object }, orderBy: [...objectNames.keys()].slice(0, keys.length), columns: [...objectNames.keys()] }, { signal }),
            objectNames,
          ),
          request,
          { types, signal },
        ),
      );
    }
    recordResult(ctx, result);
    ctx.conclude(compareOk(result) ? "OK" : "NOK", compareSummary(result));
  },
};
