import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, scratchProjects, type CliResult, type StoredRun } from "./helpers.js";
import { NO_BINARIES, closedPort, psql, startThrowawayCluster, withDatabase, type ThrowawayCluster } from "./postgres.js";

/**
 * How the CLI behaves when PostgreSQL fails under it: a dead port, a server stopped in the middle
 * of a run, a wrong password, a spec that tries to write. Each against a cluster of its own
 * (initdb in a temporary folder, own port); the shared server on 5432 is never touched.
 */
const DATABASE = "assay_shop_test";
/** Statement timeout of the backend; the run's per-test-case timeout is a little longer. */
const TIMEOUT_MS = 45_000;


const testSet = (name: string, testcases: string[]) =>
  [`name: ${name}`, "domain: shop", "stage: test", "instance: main", "testcases:", ...testcases.map((t) => `  - ${t}`), ""].join("\n");

const BASIC = ["{ object: t, type: schema }", "{ object: t, type: rowcount }", "{ object: t, type: compare }"];

/** A project over table main.t of database assay_shop_test, with `options` as the backend options. */
function projectFiles(options: string[]): Record<string, string> {
  return {
    "assay.config.yaml": [
      "backend:",
      "  use: postgres",
      "  options:",
      ...options.map((o) => `    ${o}`),
      `    database: "assay_{domain}_{stage}"`,
      '    schema: "{instance}"',
      `    timeoutMs: ${TIMEOUT_MS}`,
      "    connectTimeoutMs: 3000",
      "storage: file:.assay",
      `run: { concurrency: 4, timeoutMs: ${TIMEOUT_MS + 5_000} }`,
      "domains:",
      "  shop:",
      "    stages: { test: [main] }",
      "",
    ].join("\n"),
    "specs/shop/test/t.schema.yaml": ["columns:", "  - { name: id, type: int, pk: true }", "  - { name: name, type: string }", '  - { name: amount, type: "decimal(10,2)" }', ""].join("\n"),
    "specs/shop/test/t.rowcount.sql": "SELECT 5\n",
    "specs/shop/test/t.compare.sql": "SELECT id, name, amount FROM t\n",
    "testsets/basic.yaml": testSet("Basic", BASIC),
  };
}

const TABLE_SQL = [
  "CREATE SCHEMA main",
  "CREATE TABLE main.t (id int PRIMARY KEY, name text NOT NULL, amount numeric(10,2))",
  "INSERT INTO main.t SELECT g, 'name ' || g, g * 1.25 FROM generate_series(1, 5) g",
  "CREATE SEQUENCE main.s",
].join("; ");

/** Creates assay_shop_test with table main.t on the cluster; returns the URL of that database. */
async function loadTable(cluster: ThrowawayCluster, env: Record<string, string> = {}): Promise<string> {
  const server = `postgres://postgres@${cluster.host}:${cluster.port}/postgres`;
  await psql(server, `CREATE DATABASE ${DATABASE}`, env);
  const url = withDatabase(server, DATABASE);
  await psql(url, TABLE_SQL, env);
  return url;
}

const project = scratchProjects();

async function showLatest(cwd: string): Promise<StoredRun> {
  const shown = await runCli(["show", "latest", "--json"], { cwd });
  return JSON.parse(shown.stdout) as StoredRun;
}

function expectNoStackTrace(result: CliResult): void {
  expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
}

describe("PostgreSQL unreachable at start", () => {
  it("a port with nothing listening: exit 3 at once, every test case ERROR naming host and port", async () => {
    const port = await closedPort();
    const cwd = await project(projectFiles([`url: "postgres://postgres@127.0.0.1:${port}/postgres"`]));
    const result = await runCli(["run", "basic"], { cwd, timeoutMs: 120_000 });
    // "At once" by the reason, not by the clock: the connection was refused (not waited out).
    expect(result.stdout).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("");
    expectNoStackTrace(result);
    expect(result.stdout).toMatch(/3 test cases: 0 OK, 0 NOK, 0 N\/A, 3 ERROR/);

    const stored = await showLatest(cwd);
    // The run stops using a backend it cannot reach, and says why once.
    expect(stored.run.status).toBe("ERROR");
    expect(stored.run.message).toContain(`PostgreSQL at 127.0.0.1:${port} is unreachable`);
    expect(result.stdout.split(`127.0.0.1:${port} is unreachable`).length - 1).toBeLessThanOrEqual(4);
    expect(stored.results).toHaveLength(3);
    for (const r of stored.results) {
      expect(r.status).toBe("ERROR");
      // One paragraph: what (host and port), how to fix, the stable code; or "not run" after the first failure.
      expect(r.summary).not.toContain("\n");
      if (r.summary.startsWith("not run:")) expect(r.summary).toBe("not run: the backend failed earlier in this run [BACKEND_UNREACHABLE]");
      else expect(r.summary).toMatch(new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${port} is unreachable.*Check that the server is running.*\\[BACKEND_UNREACHABLE\\]$`));
    }
  });

  it("a command that talks to the server directly prints one paragraph naming host and port, exit 3", async () => {
    const port = await closedPort();
    const cwd = await project(projectFiles([`url: "postgres://postgres@127.0.0.1:${port}/postgres"`]));
    const result = await runCli(["list", "objects", "--domain", "shop"], { cwd, timeoutMs: 120_000 });
    expect(result.stderr).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("");
    expectNoStackTrace(result);
    const paragraph = result.stderr.trim();
    expect(paragraph).not.toContain("\n");
    expect(paragraph).toMatch(new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${port} is unreachable .*\\[BACKEND_UNREACHABLE\\]$`));
  });
});

/**
 * A throwaway cluster holding the test table, for the tests of one describe block: started
 * before them, removed after. Read `cluster` and `url` inside tests, not at collection time.
 */
function clusterWithTable(options: { password?: string } = {}): { readonly cluster: ThrowawayCluster; readonly url: string } {
  let cluster: ThrowawayCluster | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    cluster = await startThrowawayCluster(options);
    url = await loadTable(cluster, options.password ? { PGPASSWORD: options.password } : {});
  });
  afterAll(async () => {
    await cluster?.remove();
  });
  return {
    get cluster() {
      return cluster!;
    },
    get url() {
      return url!;
    },
  };
}

describe.skipIf(NO_BINARIES)(`PostgreSQL failing under a run${NO_BINARIES ? ` (skipped: ${NO_BINARIES})` : ""}`, () => {
  describe("the server stops in the middle of a run", () => {
    const db = clusterWithTable();

    /** Active queries of the run that are sleeping (our own query is excluded by its pid). */
    async function sleepingQueries(): Promise<number> {
      const sql = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg\\_sleep(60)%' AND pid <> pg_backend_pid()";
      return Number(await psql(db.url, sql));
    }

    it("in-flight test cases end ERROR within their timeout, the run ends ERROR (final), exit 3", async () => {
      const cwd = await project({
        ...projectFiles([`url: "postgres://postgres@${db.cluster.host}:${db.cluster.port}/postgres"`]),
        "specs/shop/test/t.compare.slow.sql": "SELECT id, name, amount FROM t WHERE pg_sleep(60) IS NOT NULL\n",
        "specs/shop/test/t.compare.slower.sql": "SELECT id, name, amount FROM t WHERE pg_sleep(60) IS NOT NULL AND id > 0\n",
        "specs/shop/test/t.rowcount.slow.sql": "SELECT count(*) FROM t WHERE pg_sleep(60) IS NOT NULL\n",
        "testsets/slow.yaml": testSet("Slow", [
          "{ object: t, type: compare, scenario: slow }",
          "{ object: t, type: rowcount, scenario: slow }",
          "{ object: t, type: compare, scenario: slower }",
          ...BASIC,
        ]),
      });
      let finished = false;
      const running = runCli(["run", "slow", "--concurrency", "4"], { cwd, timeoutMs: 180_000 }).finally(() => (finished = true));

      // Stop the server once all three slow queries are executing on it.
      const deadline = Date.now() + 60_000;
      let sleeping = 0;
      while (!finished && Date.now() < deadline && (sleeping = await sleepingQueries()) < 3) await new Promise((r) => setTimeout(r, 100));
      expect(sleeping).toBe(3);
      await db.cluster.stop("immediate");

      // The stop is seen by the reason (the connection closed), never by waiting out the test case timeout.
      const result = await running;
      expect(result.code).toBe(3);
      expect(result.stdout).not.toContain(`timed out after ${TIMEOUT_MS} ms`);
      expectNoStackTrace(result);

      const stored = await showLatest(cwd);
      expect(stored.run.status).toBe("ERROR");
      expect(stored.run.message).toContain(`${db.cluster.host}:${db.cluster.port}`);
      expect(stored.run.endedAt).not.toBeNull();
      expect(stored.results).toHaveLength(6);
      const slow = stored.results.filter((r) => r.scenario !== null);
      expect(slow).toHaveLength(3);
      for (const r of slow) {
        expect(r.status).toBe("ERROR");
        expect(r.summary).toContain(`PostgreSQL at ${db.cluster.host}:${db.cluster.port} is unreachable or closed the connection`);
        expect(r.summary).toContain("[BACKEND_UNREACHABLE]");
      }
      // The others ran before the stop (OK) or hit the stopped server (ERROR); none is left open.
      for (const r of stored.results) expect(["FINISHED", "ERROR"]).toContain(r.status);
      expect(stored.run.counts.error).toBe(stored.results.filter((r) => r.status === "ERROR").length);
      expect(result.stdout).toContain(`${stored.run.counts.error} ERROR`);
    });
  });

  describe("a wrong password", () => {
    const PASSWORD = "Right-pw-7731";
    const WRONG = "Wrong-pw-4242";
    const db = clusterWithTable({ password: PASSWORD });

    const expectNoPassword = (text: string) => {
      expect(text).not.toContain(WRONG);
      expect(text).not.toContain(PASSWORD);
    };

    it("the right password from ${env:PGPASS_TEST} runs the test set OK", async () => {
      const cwd = await project(projectFiles([`url: "postgres://postgres@${db.cluster.host}:${db.cluster.port}/postgres"`, "password: ${env:PGPASS_TEST}"]));
      const result = await runCli(["run", "basic"], { cwd, env: { PGPASS_TEST: PASSWORD } });
      expect(result.stdout).toMatch(/3 test cases: 3 OK, 0 NOK, 0 N\/A, 0 ERROR/);
      expect(result.code).toBe(0);
      expectNoPassword(result.stdout + result.stderr);
    });

    for (const [where, option] of [
      ["the password option", ["password: ${env:PGPASS_TEST}"]],
      ["the URL", []],
    ] as const) {
      it(`a wrong password in ${where}: exit 3, a clear message, the password never shown`, async () => {
        const user = option.length > 0 ? "postgres" : "postgres:${env:PGPASS_TEST}";
        const cwd = await project(projectFiles([`url: "postgres://${user}@${db.cluster.host}:${db.cluster.port}/postgres"`, ...option]));
        const env = { PGPASS_TEST: WRONG };
        const result = await runCli(["run", "basic"], { cwd, env, timeoutMs: 120_000 });
        // No hang, proved by the reason: runCli's own limit ends a hung CLI, and the exit code and
        // the authentication message below say why it stopped.
        expect(result.code).toBe(3);
        expectNoStackTrace(result);
        expectNoPassword(result.stdout + result.stderr);
        expect(result.stdout).toMatch(/3 test cases: 0 OK, 0 NOK, 0 N\/A, 3 ERROR/);

        const shown = await runCli(["show", "latest", "--json"], { cwd, env });
        expectNoPassword(shown.stdout);
        for (const r of (JSON.parse(shown.stdout) as StoredRun).results) {
          expect(r.status).toBe("ERROR");
          expect(r.summary).toContain(`PostgreSQL at ${db.cluster.host}:${db.cluster.port} refused user "postgres": password authentication failed for user "postgres"`);
          expect(r.summary).toContain("Check user and password in the backend options");
          expect(r.summary).toContain("[BACKEND_AUTH]");
        }

        const direct = await runCli(["list", "objects", "--domain", "shop"], { cwd, env });
        expect(direct.code).toBe(3);
        expect(direct.stderr.trim()).not.toContain("\n");
        expect(direct.stderr).toMatch(/refused user "postgres": password authentication failed.*\[BACKEND_AUTH\]$/m);
        const debug = await runCli(["--debug", "list", "objects", "--domain", "shop"], { cwd, env });
        expect(debug.code).toBe(3);
        expectNoPassword(direct.stdout + direct.stderr + debug.stdout + debug.stderr);

        const config = await runCli(["config"], { cwd, env });
        expect(config.code).toBe(0);
        expectNoPassword(config.stdout + config.stderr);
        expect(config.stdout).toMatch(option.length > 0 ? /password: "\*\*\*"/ : /url: "?postgres:\/\/postgres:\*\*\*@/);
      });
    }
  });

  describe("a spec that tries to write", () => {
    const db = clusterWithTable();

    const snapshot = () => psql(db.url, "SELECT string_agg(id || ':' || name || ':' || amount, ',' ORDER BY id) || ' / ' || (SELECT last_value || ':' || is_called FROM main.s) FROM main.t");

    it("is refused read-only: the test case ends ERROR, exit 3, and the table is unchanged", async () => {
      const cwd = await project({
        ...projectFiles([`url: "postgres://postgres@${db.cluster.host}:${db.cluster.port}/postgres"`]),
        "specs/shop/test/t.compare.cte.sql": "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d\n",
        "specs/shop/test/t.rowcount.cte.sql": "WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d\n",
        "specs/shop/test/t.compare.nextval.sql": "SELECT id, name, amount FROM t WHERE nextval('s') > 0\n",
        "specs/shop/test/t.rowcount.delete.sql": "DELETE FROM t RETURNING 1\n",
        "testsets/write.yaml": testSet("Write", [
          "{ object: t, type: compare, scenario: cte }",
          "{ object: t, type: rowcount, scenario: cte }",
          "{ object: t, type: compare, scenario: nextval }",
          "{ object: t, type: rowcount, scenario: delete }",
          ...BASIC,
        ]),
      });
      const before = await snapshot();
      expect(before).toBe("1:name 1:1.25,2:name 2:2.50,3:name 3:3.75,4:name 4:5.00,5:name 5:6.25 / 1:false");

      const result = await runCli(["run", "write"], { cwd });
      expect(result.code).toBe(3);
      expectNoStackTrace(result);
      const results = (await showLatest(cwd)).results;
      const byScenario = new Map(results.map((r) => [`${r.type} ${r.scenario ?? ""}`, r]));

      for (const key of ["COMPARE cte", "ROWCOUNT cte", "COMPARE nextval"]) {
        const r = byScenario.get(key)!;
        expect(r.status, key).toBe("ERROR");
        expect(r.summary, key).toMatch(/the postgres backend runs test SQL read-only and ran nothing\. .*\[BACKEND_READ_ONLY\]$/);
      }
      expect(byScenario.get("COMPARE nextval")!.summary).toContain("cannot execute nextval() in a read-only transaction");
      // A statement that is not a query never reaches the server: the spec itself is refused.
      const del = byScenario.get("ROWCOUNT delete")!;
      expect(del.result).toBe("N/A");
      expect(del.summary).toMatch(/The SQL must be a query, but it starts with "DELETE".*\[SPEC_INVALID\]$/);
      // The read-only test cases of the same run still pass against the untouched table.
      for (const key of ["SCHEMA ", "ROWCOUNT ", "COMPARE "]) expect(byScenario.get(key)!.result, key).toBe("OK");

      expect(await snapshot()).toBe(before);
    });
  });
});
