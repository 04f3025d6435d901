import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { parse } from "yaml";
import { DEMO_TEST_SETS, type DemoResult } from "../src/testsets.js";
import { csvRecords, sqlString, type Db, type Rows } from "./support.js";

/**
 * An independent judge of the demo: it evaluates every test case of every generated test set
 * with plain SQL (the semantics assay's test types document) and returns the results, so the
 * tests can hold them against DEMO_EXPECTATIONS. If this and the documented table agree, a
 * correct assay gives exactly the documented results.
 */

export interface At {
  domain: string;
  stage: string;
  instance: string;
}

/** The warehouse as the oracle sees it: queries at coordinates, and table schemas. */
export interface Engine {
  query(at: At, sql: string): Promise<Rows>;
  columnsOf(at: At, sql: string): Promise<string[]>;
  /** Columns with harmonised types in table order, and the primary key. */
  schema(at: At, table: string): Promise<{ columns: { name: string; type: string }[]; primaryKeys: string[] }>;
}

interface SpecColumn {
  name: string;
  type: string;
  pk: boolean;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}

export async function findSpec(root: string, object: string, type: string, scenario: string | null, ext?: string): Promise<string | null> {
  const wanted = `${object}.${type}${scenario ? `.${scenario}` : ""}.`;
  const found = (await walk(root)).filter((f) => path.basename(f).startsWith(wanted) && (ext === undefined || f.endsWith(`.${ext}`)));
  const exact = found.filter((f) => path.basename(f).split(".").length === wanted.split(".").length);
  if (exact.length > 1) throw new Error(`several ${type} specs for ${object}: ${exact.join(", ")}`);
  return exact[0] ?? null;
}

export async function readSchemaSpec(file: string, db: Db): Promise<SpecColumn[]> {
  if (file.endsWith(".yaml")) {
    const doc = parse(await readFile(file, "utf8")) as { columns: { name: string; type: string; pk?: boolean }[] };
    return doc.columns.map((c) => ({ name: c.name, type: c.type, pk: c.pk === true }));
  }
  if (file.endsWith(".csv")) {
    const rows = await db.all(`SELECT * FROM read_csv(${sqlString(file)}, header = true, all_varchar = true)`);
    return rows.map((r) => ({ name: r.column as string, type: r.type as string, pk: ((r.pk as string | null) ?? "").toLowerCase() === "x" }));
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet("schema");
  if (!sheet) throw new Error(`${file} has no sheet schema`);
  const header = (sheet.getRow(1).values as (string | undefined)[]).map((v) => v ?? "");
  const col = (name: string): number => header.indexOf(name);
  const out: SpecColumn[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = row.values as (string | null | undefined)[];
    out.push({
      name: values[col("column")]!,
      type: values[col("type")]!,
      pk: (values[col("pk")] ?? "").toLowerCase() === "x",
    });
  });
  return out;
}

interface DomainSettings {
  compare: { tolerance: { default: number; columns: Record<string, number> } };
  schema: { compareTypes?: string[] };
}

export interface OracleResult {
  testSet: string;
  object: string;
  type: string;
  scenario: string | null;
  result: DemoResult;
  why: string;
}

/** Judges every test case of every demo test set in the project at `dir`. */
export async function judgeDemo(dir: string, engine: Engine, db: Db): Promise<OracleResult[]> {
  const config = parse(await readFile(path.join(dir, "assay.config.yaml"), "utf8")) as { domains: Record<string, DomainSettings> };
  const results: OracleResult[] = [];
  for (const set of DEMO_TEST_SETS) {
    const at: At = { domain: set.domain, stage: set.stage, instance: set.instance };
    const specRoot = path.join(dir, "specs", set.domain, set.stage);
    const settings = config.domains[set.domain]!;
    for (const tc of set.testcases) {
      const scenario = tc.scenario ?? null;
      const judge = async (): Promise<[DemoResult, string]> => {
        switch (tc.type) {
          case "schema": {
            const file = await findSpec(specRoot, tc.object, "schema", null);
            if (!file) return ["N/A", "no schema spec"];
            const spec = await readSchemaSpec(file, db);
            const actual = await engine.schema(at, tc.object);
            const names = (cs: { name: string }[]): string => cs.map((c) => c.name).join(",");
            if (names(spec) !== names(actual.columns)) return ["NOK", `columns ${names(spec)} vs ${names(actual.columns)}`];
            const compared = settings.schema.compareTypes?.map((t) => t.toLowerCase());
            for (const [i, c] of spec.entries()) {
              const real = actual.columns[i]!.type;
              const base = c.type.toLowerCase().replace(/\(.*$/, "");
              if (c.type.toLowerCase() !== real && (!compared || compared.includes(base))) return ["NOK", `${c.name}: ${c.type} vs ${real}`];
            }
            const pk = spec.filter((c) => c.pk).map((c) => c.name);
            if (pk.sort().join(",") !== [...actual.primaryKeys].sort().join(",")) return ["NOK", `pk ${pk.join(",")} vs ${actual.primaryKeys.join(",")}`];
            return ["OK", "schema matches"];
          }
          case "rowcount": {
            const file = await findSpec(specRoot, tc.object, "rowcount", scenario);
            if (!file) return ["N/A", "no rowcount spec"];
            const expected = Number(Object.values((await engine.query(at, await readFile(file, "utf8")))[0]!)[0]);
            const actual = Number(Object.values((await engine.query(at, `SELECT COUNT(*) AS n FROM ${tc.object}`))[0]!)[0]);
            return [expected === actual ? "OK" : "NOK", `expected ${expected}, actual ${actual}`];
          }
          case "compare": {
            const file = await findSpec(specRoot, tc.object, "compare", scenario);
            const schemaFile = await findSpec(specRoot, tc.object, "schema", null);
            if (!file || !schemaFile) return ["N/A", "missing spec"];
            const keys = (await readSchemaSpec(schemaFile, db)).filter((c) => c.pk).map((c) => c.name);
            const sql = await readFile(file, "utf8");
            const columns = (await engine.columnsOf(at, sql)).filter((c) => !keys.includes(c));
            const on = keys.map((k) => `e.${k} = a.${k}`).join(" AND ");
            const same = columns
              .map((c) => {
                const tolerance = settings.compare.tolerance.columns[c] ?? settings.compare.tolerance.default;
                return tolerance > 0
                  ? `((e.${c} IS NULL AND a.${c} IS NULL) OR ABS(e.${c} - a.${c}) <= ${tolerance})`
                  : `e.${c} IS NOT DISTINCT FROM a.${c}`;
              })
              .join(" AND ");
            const keyList = keys.join(", ");
            const counts = (
              await engine.query(
                at,
                `WITH e AS (${sql}), a AS (SELECT * FROM ${tc.object}) SELECT
                  (SELECT COUNT(*) FROM (SELECT ${keyList} FROM e GROUP BY ${keyList} HAVING COUNT(*) > 1) d) AS dup_e,
                  (SELECT COUNT(*) FROM (SELECT ${keyList} FROM a GROUP BY ${keyList} HAVING COUNT(*) > 1) d) AS dup_a,
                  (SELECT COUNT(*) FROM e WHERE NOT EXISTS (SELECT 1 FROM a WHERE ${on})) AS missing,
                  (SELECT COUNT(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM e WHERE ${on})) AS extra,
                  (SELECT COUNT(*) FROM e JOIN a ON ${on} WHERE NOT (${same || "TRUE"})) AS mismatched`,
              )
            )[0]!;
            const bad = Object.entries(counts).filter(([, v]) => Number(v) > 0);
            return [bad.length === 0 ? "OK" : "NOK", bad.map(([k, v]) => `${k} ${String(v)}`).join(", ") || "all rows match"];
          }
          case "stagecount": {
            const loads = await engine.query(
              at,
              `SELECT m__source_file_path AS path, COUNT(*) AS n FROM ${tc.object}
               WHERE m__ts = (SELECT MAX(m__ts) FROM ${tc.object}) GROUP BY m__source_file_path ORDER BY 1`,
            );
            const rawRoot = path.join(dir, "raw", at.domain, at.stage, at.instance);
            const differing: string[] = [];
            for (const load of loads) {
              const raw = await csvRecords(db, path.join(rawRoot, String(load.path)));
              if (raw !== Number(load.n)) differing.push(`${String(load.path)}: stage ${String(load.n)}, raw ${raw}`);
            }
            return [differing.length === 0 && loads.length > 0 ? "OK" : "NOK", differing.join("; ") || `${loads.length} file(s) match`];
          }
        }
      };
      const [result, why] = await judge();
      results.push({ testSet: set.name, object: tc.object, type: tc.type.toUpperCase(), scenario, result, why });
    }
  }
  return results;
}

/** The oracle's Engine over the DuckDB warehouse files of a demo project. */
export async function duckDbEngine(dir: string, open: (file: string) => Promise<Db>): Promise<Engine & { close(): void }> {
  const dbs = new Map<string, Db>();
  const at = async ({ domain, stage, instance }: At): Promise<Db> => {
    const key = `${domain}_${stage}`;
    let db = dbs.get(key);
    if (!db) {
      db = await open(path.join(dir, "warehouse", `${key}.duckdb`));
      dbs.set(key, db);
    }
    await db.connection.run(`SET schema = ${sqlString(instance)}`);
    return db;
  };
  const harmonise = (raw: string): string => {
    const t = raw.toLowerCase();
    if (t === "integer") return "int";
    if (t === "varchar") return "string";
    return t;
  };
  return {
    async query(coords, sql) {
      return (await at(coords)).all(sql);
    },
    async columnsOf(coords, sql) {
      const db = await at(coords);
      return (await db.connection.runAndReadAll(`SELECT * FROM (${sql}) q LIMIT 0`)).columnNames();
    },
    async schema(coords, table) {
      const db = await at(coords);
      const where = `database_name = current_database() AND schema_name = ${sqlString(coords.instance)} AND table_name = ${sqlString(table)}`;
      const columns = await db.all(`SELECT column_name, data_type FROM duckdb_columns() WHERE ${where} ORDER BY column_index`);
      const pk = await db.all(`SELECT constraint_column_names AS cols FROM duckdb_constraints() WHERE ${where} AND constraint_type = 'PRIMARY KEY'`);
      return {
        columns: columns.map((c) => ({ name: String(c.column_name), type: harmonise(String(c.data_type)) })),
        primaryKeys: (pk[0]?.cols as string[] | undefined) ?? [],
      };
    },
    close() {
      for (const db of dbs.values()) db.close();
    },
  };
}
