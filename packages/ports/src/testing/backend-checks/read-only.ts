import { readdir } from "node:fs/promises";
import { expect } from "vitest";
import { VICTIM_TABLE } from "../fixture.js";
import { collect, compare, expectCode, scan, skip, type BackendCheck, type ContractEnv, type WriteForm } from "./support.js";

const group = "read-only";
const victim = VICTIM_TABLE.name;
const created = "assay_contract_created";

/**
 * Write forms every SQL engine must refuse, then the forms that exist on one engine only (run
 * when the adapter declares that engine). Adapters add their own through `writeStatements`.
 */
export const WRITE_FORMS: readonly WriteForm[] = [
  { kind: "INSERT", label: "INSERT", sql: `INSERT INTO ${victim} (id, note) VALUES (9, 'written')` },
  { kind: "UPDATE", label: "UPDATE", sql: `UPDATE ${victim} SET note = 'changed'` },
  { kind: "DELETE", label: "DELETE", sql: `DELETE FROM ${victim}` },
  { kind: "CREATE", label: "CREATE TABLE", sql: `CREATE TABLE ${created} (id INTEGER)` },
  { kind: "CREATE", label: "CREATE TABLE AS SELECT", sql: `CREATE TABLE ${created} AS SELECT * FROM ${victim}` },
  { kind: "CREATE", label: "CREATE VIEW", sql: `CREATE VIEW ${created} AS SELECT * FROM ${victim}` },
  { kind: "DROP", label: "DROP TABLE", sql: `DROP TABLE ${victim}` },
  { kind: "DROP", label: "DROP TABLE IF EXISTS of a missing table", sql: "DROP TABLE IF EXISTS assay_contract_no_such_table" },
  { kind: "ALTER", label: "ALTER TABLE ADD COLUMN", sql: `ALTER TABLE ${victim} ADD COLUMN extra INTEGER` },
  { kind: "ALTER", label: "ALTER TABLE RENAME", sql: `ALTER TABLE ${victim} RENAME TO ${created}` },
  { kind: "TRUNCATE", label: "TRUNCATE", sql: `TRUNCATE TABLE ${victim}` },
  { kind: "COPY", label: "COPY table TO a file", sql: `COPY ${victim} TO '{dir}/copy.csv'` },
  { kind: "COPY", label: "COPY (query) TO a file", sql: `COPY (SELECT * FROM ${victim}) TO '{dir}/query.csv'` },
  { kind: "SET", label: "SET", sql: "SET search_path = 'assay_contract_elsewhere'" },
  { kind: "DELETE", label: "several statements: SELECT 1; DELETE", sql: `SELECT 1; DELETE FROM ${victim}` },
  { kind: "DELETE", label: "a write after a line comment", sql: `-- only a comment\nDELETE FROM ${victim}` },
  { kind: "DELETE", label: "a write after a block comment saying SELECT", sql: `/* SELECT */ DELETE FROM ${victim}` },
  { kind: "DELETE", label: "a write behind a WITH clause", sql: `WITH gone AS (SELECT 1 AS id) DELETE FROM ${victim} WHERE id IN (SELECT id FROM gone)` },
  { kind: ["DELETE", "EXPLAIN"], label: "EXPLAIN ANALYZE of a write (it executes)", sql: `EXPLAIN ANALYZE DELETE FROM ${victim}` },
  { kind: "ATTACH", label: "ATTACH a database file", sql: "ATTACH '{dir}/other.duckdb' AS assay_contract_other", engines: ["duckdb"] },
  { kind: "INSTALL", label: "INSTALL an extension", sql: "INSTALL json", engines: ["duckdb"] },
  { kind: "LOAD", label: "LOAD an extension", sql: "LOAD json", engines: ["duckdb"] },
  { kind: "EXPORT", label: "EXPORT DATABASE", sql: "EXPORT DATABASE '{dir}/export'", engines: ["duckdb"] },
  { kind: "DELETE", label: "a DELETE inside a CTE", sql: `WITH d AS (DELETE FROM ${victim} RETURNING *) SELECT * FROM d`, engines: ["postgres"] },
  { kind: "LOAD", label: "LOAD a module", sql: "LOAD 'auto_explain'", engines: ["postgres"] },
  { kind: "CREATE", label: "CREATE EXTENSION", sql: "CREATE EXTENSION IF NOT EXISTS pg_trgm", engines: ["postgres"] },
];

/** The victim table is exactly as loaded, nothing was created, no file was written, and unqualified names still resolve. */
async function expectUnchanged(env: ContractEnv, dir: string, what: string): Promise<void> {
  const backend = env.backend();
  expect(await backend.exists(env.obj(victim)), `${what}: the table is gone`).toBe(true);
  expect(await backend.exists(env.obj(created)), `${what}: a table or view was created`).toBe(false);
  expect((await backend.getSchema(env.obj(victim))).columns.map((c) => c.name), `${what}: the table's columns changed`).toEqual(["id", "note"]);
  const rows = await Promise.all(
    Array.from({ length: 3 }, () => collect(backend.query(`SELECT id, note FROM ${victim} ORDER BY id`, env.at))),
  );
  for (const r of rows) expect(r, `${what}: the rows changed (or the session's settings did)`).toEqual(VICTIM_TABLE.rows);
  expect(await readdir(dir), `${what}: a file was written`).toEqual([]);
}

function writeCheck(form: WriteForm): BackendCheck {
  const kinds = typeof form.kind === "string" ? [form.kind] : form.kind;
  return {
    group,
    name: `refuses ${form.label}${form.engines ? ` (${form.engines.join(", ")})` : ""} with BACKEND_READ_ONLY naming ${kinds.join(" or ")}, data unchanged`,
    needs: ["sql", "fixtures"],
    async run(env) {
      if (form.engines && !form.engines.includes(env.engine ?? "")) {
        skip(`${form.label} is a form of ${form.engines.join(", ")} only; this adapter declares engine ${env.engine ?? "(none)"}`);
      }
      const dir = await env.scratchDir();
      const sql = form.sql.replaceAll("{dir}", dir);
      const message = await expectCode(collect(env.backend().query(sql, env.at)), "BACKEND_READ_ONLY", JSON.stringify(sql));
      expect(message, `the refusal should name the kind of statement (${kinds.join(" or ")})`).toMatch(new RegExp(`\\b(${kinds.join("|")})\\b`, "i"));
      await expectUnchanged(env, dir, JSON.stringify(sql));
    },
  };
}

/** Every write refused, through every method that takes SQL. */
export function readOnlyChecks(extra: readonly WriteForm[]): BackendCheck[] {
  return [
    ...WRITE_FORMS.map(writeCheck),
    ...extra.map((form) => ({ ...writeCheck(form), name: `${writeCheck(form).name} (added by the adapter)` })),
    {
      group,
      name: "refuses a write in getQuerySchema, COMPARE's expected query and a scan's query",
      needs: ["sql", "fixtures"],
      async run(env) {
        const dir = await env.scratchDir();
        await expectCode(env.backend().getQuerySchema(`DROP TABLE ${victim}`, env.at), "BACKEND_READ_ONLY", "getQuerySchema(DROP)");
        if (env.backend().capabilities.compare) {
          await expectCode(compare(env, { object: victim, keys: ["id"], expectedSql: `DELETE FROM ${victim}` }), "BACKEND_READ_ONLY", "compare(DELETE)");
        }
        if (env.backend().capabilities.orderedScan) {
          await expectCode(collect(scan(env, { source: { kind: "query", sql: `DELETE FROM ${victim}` }, orderBy: ["id"] })), "BACKEND_READ_ONLY", "scan(DELETE)");
        }
        await expectUnchanged(env, dir, "writes through getQuerySchema, compare and scan");
      },
    },
    {
      group,
      name: "allows reads in their forms: WITH, a trailing semicolon, comments",
      needs: ["sql", "fixtures"],
      async run(env) {
        const read = (sql: string) => collect(env.backend().query(sql, env.at));
        expect(await read(`WITH x AS (SELECT id FROM ${victim}) SELECT count(*) AS n FROM x;`)).toEqual([{ n: 3 }]);
        expect(await read(`-- a comment\nSELECT count(*) AS n FROM ${victim} /* trailing */`)).toEqual([{ n: 3 }]);
        expect(await read(`SELECT count(*) AS n FROM ${victim}; -- the whole table\n`)).toEqual([{ n: 3 }]);
      },
    },
  ];
}
