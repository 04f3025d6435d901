import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_EXPECTATIONS, generateDemoProject } from "../src/index.js";
import { warehouses } from "../src/plan.js";
import { postgresDatabaseName } from "../src/warehouse-postgres.js";
import { judgeDemo, type At, type Engine } from "./oracle.js";
import { openDuckDb, tempDir, type Db } from "./support.js";

const url = process.env.ASSAY_PG_URL;
/** Databases of its own, so that another suite generating the default demo at the same time is not disturbed. */
const template = `assay_demo_t${process.pid}_{domain}_{stage}`;
const dbName = (domain: string, stage: string): string => postgresDatabaseName(domain, stage, template);

function databaseUrl(database: string): string {
  const u = new URL(url!);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The oracle's Engine over the PostgreSQL demo databases. */
function postgresEngine(): Engine & { close(): Promise<void> } {
  const clients = new Map<string, Promise<pg.Client>>();
  const at = async ({ domain, stage, instance }: At): Promise<pg.Client> => {
    const name = dbName(domain, stage);
    let client = clients.get(name);
    if (!client) {
      const c = new pg.Client({ connectionString: databaseUrl(name) });
      client = c.connect().then(() => c);
      clients.set(name, client);
    }
    const ready = await client;
    await ready.query(`SET search_path TO "${instance}"`);
    return ready;
  };
  const harmonise = (row: Record<string, unknown>): string => {
    const t = String(row.data_type);
    if (t === "integer") return "int";
    if (t === "character varying" || t === "text") return "string";
    if (t === "numeric") return `decimal(${String(row.numeric_precision)},${String(row.numeric_scale)})`;
    if (t === "double precision") return "double";
    if (t === "timestamp without time zone") return "timestamp";
    return t;
  };
  return {
    async query(coords, sql) {
      return (await (await at(coords)).query(sql)).rows as Record<string, unknown>[];
    },
    async columnsOf(coords, sql) {
      return (await (await at(coords)).query(`SELECT * FROM (${sql}) q LIMIT 0`)).fields.map((f) => f.name);
    },
    async schema(coords, table) {
      const client = await at(coords);
      const columns = await client.query(
        `SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [coords.instance, table],
      );
      const keys = await client.query(
        `SELECT k.column_name FROM information_schema.table_constraints c
         JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
         WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = $1 AND c.table_name = $2 ORDER BY k.ordinal_position`,
        [coords.instance, table],
      );
      return {
        columns: (columns.rows as Record<string, unknown>[]).map((r) => ({ name: String(r.column_name), type: harmonise(r) })),
        primaryKeys: (keys.rows as { column_name: string }[]).map((r) => r.column_name),
      };
    },
    async close() {
      for (const client of clients.values()) await (await client).end();
    },
  };
}

describe.skipIf(!url)(`generateDemoProject (PostgreSQL)${url ? "" : " (skipped: ASSAY_PG_URL is not set)"}`, () => {
  let pgDemo: { dir: string; remove: () => Promise<void> };
  let duckDemo: { dir: string; remove: () => Promise<void> };
  let db: Db;

  beforeAll(async () => {
    [pgDemo, duckDemo] = await Promise.all([tempDir("pg"), tempDir("pg-duck")]);
    await generateDemoProject({ dir: pgDemo.dir, engine: "postgres", database: template });
    await generateDemoProject({ dir: duckDemo.dir });
    db = await openDuckDb();
  });
  afterAll(async () => {
    db?.close();
    await Promise.all([pgDemo?.remove(), duckDemo?.remove()]);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      for (const { domain, stage } of warehouses()) await admin.query(`DROP DATABASE IF EXISTS "${dbName(domain, stage)}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  it("writes a postgres config that reads the URL from the environment", async () => {
    const config = parse(await readFile(path.join(pgDemo.dir, "assay.config.yaml"), "utf8")) as Record<string, unknown>;
    expect(config.backend).toEqual({
      use: "postgres",
      options: {
        url: "${env:ASSAY_PG_URL}",
        database: template,
        schema: "{instance}",
      },
    });
    await expect(stat(path.join(pgDemo.dir, "warehouse"))).rejects.toThrow();
  });

  it("loads the same tables with the same row counts and contents as DuckDB", async () => {
    for (const { domain, stage, instances } of warehouses()) {
      const client = new pg.Client({ connectionString: databaseUrl(dbName(domain, stage)) });
      await client.connect();
      const duck = await openDuckDb(path.join(duckDemo.dir, "warehouse", `${domain}_${stage}.duckdb`));
      try {
        const tables = (await duck.all("SELECT schema_name AS s, table_name AS t FROM duckdb_tables() ORDER BY ALL")).map(
          (r) => `"${String(r.s)}"."${String(r.t)}"`,
        );
        expect(tables.length).toBeGreaterThanOrEqual(instances.length * 3);
        for (const table of tables) {
          const sumColumn = table.includes("mart_") ? "transaction_count" : "id";
          const probe = `SELECT COUNT(*) AS n, SUM(${sumColumn}) AS s FROM ${table}`;
          const [fromPg] = (await client.query(probe)).rows as { n: string; s: string }[];
          const [fromDuck] = await duck.all(probe);
          expect({ n: Number(fromPg!.n), s: Number(fromPg!.s) }, table).toEqual({ n: Number(fromDuck!.n), s: Number(fromDuck!.s) });
        }
      } finally {
        duck.close();
        await client.end();
      }
    }
  });

  it("gives exactly the documented result for every test case (plain-SQL oracle)", async () => {
    const engine = postgresEngine();
    try {
      const judged = await judgeDemo(pgDemo.dir, engine, db);
      const why = judged.filter((j) => j.result !== "OK").map((j) => `${j.testSet} ${j.object} ${j.type}: ${j.why}`);
      expect(judged.map(({ why: _why, ...rest }) => rest), why.join("\n")).toEqual(DEMO_EXPECTATIONS);
    } finally {
      await engine.close();
    }
  });

  it("refuses a database template that is not a plain identifier", async () => {
    const error: unknown = await generateDemoProject({ dir: pgDemo.dir, engine: "postgres", database: 'x"; DROP {domain}{stage}' }).catch(
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toBe("USAGE");
  });

  it("writes a literal URL when one is passed that is not the environment's", async () => {
    const literal = new URL(url!);
    literal.searchParams.set("application_name", "assay-demo-test");
    const other = await tempDir("pg-literal");
    try {
      await generateDemoProject({ dir: other.dir, engine: "postgres", url: literal.toString(), database: template });
      const config = parse(await readFile(path.join(other.dir, "assay.config.yaml"), "utf8")) as { backend: { options: { url: string } } };
      expect(config.backend.options.url).toBe(literal.toString());
    } finally {
      await other.remove();
    }
  });
});
