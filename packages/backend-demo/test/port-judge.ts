import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import type { Backend, Row } from "@assay/ports";
import { DEMO_TEST_SETS, type DemoResult } from "../src/testsets.js";
import { findSpec, readSchemaSpec, type OracleResult } from "./oracle.js";
import { csvRecords, type Db } from "./support.js";

/**
 * The demo's test cases judged through the Backend port, the way assay's test types use it
 * (getSchema, query + countRows, compare, latestLoad). It checks that the served warehouse gives
 * the documented results through the very calls the runner makes. Raw files are not the
 * backend's: STAGECOUNT's raw side is counted here the way the oracle counts it.
 */

interface DomainSettings {
  compare: { tolerance: { default: number; columns: Record<string, number> }; maxDiffRows: number };
  schema: { compareTypes?: string[] };
}

async function first(rows: AsyncIterable<Row>): Promise<Row | undefined> {
  for await (const row of rows) return row;
  return undefined;
}

export async function judgeThroughBackend(dir: string, backend: Backend, db: Db): Promise<OracleResult[]> {
  const config = parse(await readFile(path.join(dir, "assay.config.yaml"), "utf8")) as { domains: Record<string, DomainSettings> };
  const out: OracleResult[] = [];
  for (const set of DEMO_TEST_SETS) {
    const at = { domain: set.domain, stage: set.stage, instance: set.instance };
    const specRoot = path.join(dir, "specs", set.domain, set.stage);
    const settings = config.domains[set.domain]!;
    for (const tc of set.testcases) {
      const scenario = tc.scenario ?? null;
      const object = { ...at, name: tc.object };
      let result: DemoResult;
      let why: string;
      if (tc.type === "schema") {
        const spec = await readSchemaSpec((await findSpec(specRoot, tc.object, "schema", null))!, db);
        const actual = await backend.getSchema(object);
        const compared = settings.schema.compareTypes?.map((t) => t.toLowerCase());
        const problems = spec.flatMap((c, i) => {
          const real = actual.columns[i];
          if (real?.name !== c.name) return [`column ${c.name} vs ${real?.name ?? "none"}`];
          const base = c.type.toLowerCase().replace(/\(.*$/, "");
          return c.type.toLowerCase() !== real.type.toLowerCase() && (!compared || compared.includes(base)) ? [`${c.name}: ${c.type} vs ${real.type}`] : [];
        });
        if (actual.columns.length !== spec.length) problems.push("column count");
        const pk = spec.filter((c) => c.pk).map((c) => c.name).sort().join(",");
        if (backend.capabilities.primaryKeys && pk !== [...(actual.primaryKeys ?? [])].sort().join(",")) problems.push("primary key");
        [result, why] = [problems.length ? "NOK" : "OK", problems.join("; ")];
      } else if (tc.type === "rowcount") {
        const sql = await readFile((await findSpec(specRoot, tc.object, "rowcount", scenario))!, "utf8");
        const expected = Number(Object.values((await first(backend.query(sql, at)))!)[0]);
        const actual = await backend.countRows(object);
        [result, why] = [expected === actual ? "OK" : "NOK", `${expected} vs ${actual}`];
      } else if (tc.type === "compare") {
        const sql = await readFile((await findSpec(specRoot, tc.object, "compare", scenario))!, "utf8");
        const keys = (await readSchemaSpec((await findSpec(specRoot, tc.object, "schema", null))!, db)).filter((c) => c.pk).map((c) => c.name);
        const r = await backend.compare!({
          at,
          expectedSql: sql,
          object: tc.object,
          keys,
          tolerance: settings.compare.tolerance,
          maxDiffRows: settings.compare.maxDiffRows,
        });
        const bad = r.missingRows + r.extraRows + r.mismatchedRows + r.duplicateKeys.expected + r.duplicateKeys.actual;
        [result, why] = [bad === 0 && r.expectedRows > 0 ? "OK" : "NOK", JSON.stringify({ ...r, diff: r.diff.slice(0, 2) })];
      } else {
        const load = await backend.latestLoad!(object);
        const rawRoot = path.join(dir, "raw", at.domain, at.stage, at.instance);
        const raw = await Promise.all(load.files.map(async (f) => ({ path: f.path, rows: await csvRecords(db, path.join(rawRoot, f.path)) })));
        const differ = load.files.filter((f, i) => raw[i]?.rows !== f.rows);
        [result, why] = [differ.length === 0 && load.files.length > 0 ? "OK" : "NOK", JSON.stringify({ load, raw })];
      }
      out.push({ testSet: set.name, object: tc.object, type: tc.type.toUpperCase(), scenario, result, why });
    }
  }
  return out;
}
