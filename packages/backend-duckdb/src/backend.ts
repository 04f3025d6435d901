import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  BackendError,
  CompareRequest,
  LoadColumns,
  RawFileOptions,
  type Backend,
  type BackendCapabilities,
  type CallOptions,
  type CellValue,
  type Column,
  type CompareResult,
  type Coordinates,
  type DiffRow,
  type LatestLoad,
  type PluginContext,
  type RawFileCount,
  type Row,
  type RowFilter,
  type ScanRequest,
  type TableSchema,
  type TestObjectInfo,
  type TestObjectRef,
} from "@assay/ports";
import { DuckDBTypeId, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBValue } from "@duckdb/node-api";
import { planCompare, type SideColumn } from "./compare-sql.js";
import { Database } from "./database.js";
import { Deadline } from "./deadline.js";
import { harmoniseType } from "./harmonise.js";
import { expandTemplate, type DuckDbBackendOptions } from "./options.js";
import { filesIn, listRawFolders, RAW_PREFIX, rawFileSource, rawFolder, resolveRawPath } from "./raw-files.js";
import { prepareChecked, type CheckedQuery } from "./read-only-guard.js";
import { qualified, quoteIdent } from "./sql.js";
import { toCellValue } from "./values.js";

interface ResolvedObject {
  name: string;
  kind: "table" | "view";
  /** `"catalog"."schema"."name"`. */
  sql: string;
}

function where(at: Coordinates): string {
  return `${at.domain}/${at.stage}/${at.instance}`;
}

function count(value: CellValue | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Column names and types of a prepared statement's result. */
function resultColumns(prepared: DuckDBPreparedStatement): SideColumn[] {
  return Array.from({ length: prepared.columnCount }, (_, i) => ({ name: prepared.columnName(i), type: prepared.columnType(i) }));
}

/** Binds values; a number or boolean compared with a text column is bound as its text. */
function bindValues(prepared: DuckDBPreparedStatement, values: readonly (string | number | boolean)[]): void {
  values.forEach((value, i) => {
    const index = i + 1;
    const target = prepared.parameterTypeId(index);
    const bound: DuckDBValue = target === DuckDBTypeId.VARCHAR && typeof value !== "string" ? String(value) : value;
    prepared.bindValue(index, bound);
  });
}

async function readAll(prepared: DuckDBPreparedStatement): Promise<Row[]> {
  const reader = await prepared.runAndReadAll();
  return reader.convertRowObjects<CellValue>(toCellValue);
}

/**
 * The duckdb backend. One DuckDB instance per database file, each with a small connection pool;
 * every statement runs under a deadline that interrupts DuckDB when the time limit passes or the
 * caller aborts. User SQL runs as written, at the instance's schema (`USE`), read-only by default.
 */
export class DuckDbBackend implements Backend {
  readonly capabilities: BackendCapabilities = {
    primaryKeys: true,
    partitioning: false,
    clustering: false,
    compare: true,
    sampledCompare: true,
    orderedScan: true,
    rawFiles: true,
  };

  private readonly databases = new Map<string, Promise<Database>>();
  private filesDatabase: Promise<Database> | null = null;
  private closed = false;

  constructor(
    private readonly options: DuckDbBackendOptions,
    private readonly context: PluginContext,
  ) {}

  // ---- coordinates → places -------------------------------------------------------------

  private databasePath(at: Coordinates): string {
    const path = expandTemplate(this.options.database, at);
    return path === ":memory:" ? path : resolve(this.context.projectRoot, path);
  }

  private schemaName(at: Coordinates): string {
    return expandTemplate(this.options.schema, at);
  }

  private filesRoot(at: Coordinates): string {
    return resolve(this.context.projectRoot, expandTemplate(this.options.files, at));
  }

  private settings() {
    return { readOnly: this.options.readOnly, threads: this.options.threads, memoryLimit: this.options.memoryLimit };
  }

  private database(at: Coordinates): Promise<Database> {
    if (this.closed) return Promise.reject(closedError());
    const path = this.databasePath(at);
    let database = this.databases.get(path);
    if (!database) {
      if (path !== ":memory:" && this.options.readOnly && !existsSync(path)) {
        // Opening read-only must not create the file: say which file is missing instead.
        return Promise.reject(
          new BackendError("BACKEND_OBJECT_NOT_FOUND", `The DuckDB database file ${path} (for ${where(at)}) does not exist`, {
            expected: "a database file made by the pipeline under test",
            fix: "Check the backend option database (default warehouse/{domain}_{stage}.duckdb) and the stage name.",
          }),
        );
      }
      database = Database.open(path, this.settings());
      database.catch(() => this.databases.delete(path));
      this.databases.set(path, database);
    }
    return database;
  }

  /** An in-memory DuckDB for reading raw files, apart from the warehouse. */
  private files(): Promise<Database> {
    if (this.closed) return Promise.reject(closedError());
    this.filesDatabase ??= Database.open(":memory:", { ...this.settings(), readOnly: false });
    return this.filesDatabase;
  }

  // ---- running statements ----------------------------------------------------------------

  /** Borrows a connection at the coordinates' schema and runs `work` under the deadline. */
  private async session<T>(
    database: Database,
    schema: string | null,
    what: string,
    call: CallOptions | undefined,
    work: (connection: DuckDBConnection) => Promise<T>,
  ): Promise<T> {
    const lease = await database.acquire(schema);
    const deadline = new Deadline(lease.connection, this.options.timeoutMs, call?.signal);
    try {
      deadline.check(what);
      return await work(lease.connection);
    } catch (error) {
      throw deadline.error(error, what);
    } finally {
      deadline.dispose();
      if (deadline.fired) lease.discard();
      else lease.release();
    }
  }

  private async at<T>(at: Coordinates, what: string, call: CallOptions | undefined, work: (c: DuckDBConnection, db: Database) => Promise<T>): Promise<T> {
    const database = await this.database(at);
    return this.session(database, this.schemaName(at), what, call, (c) => work(c, database));
  }

  /** Streams the rows of a statement prepared on the borrowed connection, chunk by chunk. */
  private async *stream(
    at: Coordinates,
    what: string,
    call: CallOptions | undefined,
    prepare: (connection: DuckDBConnection, database: Database) => Promise<DuckDBPreparedStatement>,
  ): AsyncGenerator<Row> {
    const database = await this.database(at);
    const lease = await database.acquire(this.schemaName(at));
    const deadline = new Deadline(lease.connection, this.options.timeoutMs, call?.signal);
    let prepared: DuckDBPreparedStatement | undefined;
    try {
      deadline.check(what);
      let result;
      try {
        prepared = await prepare(lease.connection, database);
        result = await prepared.stream();
      } catch (error) {
        throw deadline.error(error, what);
      }
      const names = result.deduplicatedColumnNames();
      for (;;) {
        let rows: (CellValue | null)[][];
        try {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          rows = chunk.convertRows(toCellValue);
        } catch (error) {
          throw deadline.error(error, what);
        }
        for (const values of rows) {
          const row: Row = {};
          names.forEach((name, i) => (row[name] = values[i] ?? null));
          yield row;
        }
      }
    } finally {
      // Also reached when the consumer stops early: the statement and its pending result go.
      prepared?.destroySync();
      deadline.dispose();
      if (deadline.fired) lease.discard();
      else lease.release();
    }
  }

  private guard(connection: DuckDBConnection, sql: string, what: string, selectOnly: boolean): Promise<CheckedQuery> {
    return prepareChecked(connection, sql, what, { readOnly: this.options.readOnly, selectOnly });
  }

  /** A table or view at the coordinates: exact name first, else DuckDB's case-insensitive match. */
  private async resolveObject(connection: DuckDBConnection, database: Database, ref: TestObjectRef): Promise<ResolvedObject> {
    const schema = this.schemaName(ref);
    const prepared = await connection.prepare(
      `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2 AND lower(table_name) = lower($3)
       UNION ALL
       SELECT view_name, 'view' FROM duckdb_views() WHERE database_name = $1 AND schema_name = $2 AND NOT internal AND lower(view_name) = lower($3)`,
    );
    bindValues(prepared, [database.catalog, schema, ref.name]);
    const rows = await readAll(prepared);
    const found = rows.find((r) => r.name === ref.name) ?? (rows.length === 1 ? rows[0] : undefined);
    if (!found) {
      throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `No table or view "${ref.name}" in schema "${schema}" of ${database.label} (${where(ref)})`, {
        expected: "a table or view of the instance's schema",
        fix: "Check the object name (assay list objects shows what exists) and the stage and instance of the run.",
      });
    }
    const name = String(found.name);
    return { name, kind: found.kind === "view" ? "view" : "table", sql: qualified(database.catalog, schema, name) };
  }

  private rawFolderOf(ref: TestObjectRef): string | null {
    return rawFolder(this.filesRoot(ref), ref.name);
  }

  // ---- the port ----------------------------------------------------------------------------

  async listTestObjects(at: Coordinates, options?: CallOptions): Promise<TestObjectInfo[]> {
    const objects = await this.at(at, `Listing the test objects of ${where(at)}`, options, async (connection, database) => {
      const prepared = await connection.prepare(
        `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2 AND NOT temporary
         UNION ALL
         SELECT view_name, 'view' FROM duckdb_views() WHERE database_name = $1 AND schema_name = $2 AND NOT internal AND NOT temporary
         ORDER BY name`,
      );
      bindValues(prepared, [database.catalog, this.schemaName(at)]);
      return (await readAll(prepared)).map((r) => ({ name: String(r.name), kind: r.kind === "view" ? ("view" as const) : ("table" as const) }));
    });
    const raw = listRawFolders(this.filesRoot(at)).map((folder) => ({ name: `${RAW_PREFIX}${folder}`, kind: "files" as const }));
    return [...objects, ...raw];
  }

  async exists(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    if (this.rawFolderOf(object)) return true;
    return this.at(object, `Looking up ${object.name}`, options, async (connection, database) => {
      const prepared = await connection.prepare(
        `SELECT 1 FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2 AND table_name = $3
         UNION ALL SELECT 1 FROM duckdb_views() WHERE database_name = $1 AND schema_name = $2 AND NOT internal AND view_name = $3`,
      );
      bindValues(prepared, [database.catalog, this.schemaName(object), object.name]);
      return (await readAll(prepared)).length > 0;
    });
  }

  async hasRows(object: TestObjectRef, options?: CallOptions): Promise<boolean> {
    if (this.rawFolderOf(object)) return (await this.countRows(object, [], options)) > 0;
    return this.at(object, `Reading one row of ${object.name}`, options, async (connection, database) => {
      const target = await this.resolveObject(connection, database, object);
      return (await connection.runAndReadAll(`SELECT 1 FROM ${target.sql} LIMIT 1`)).currentRowCount > 0;
    });
  }

  async getSchema(object: TestObjectRef, options?: CallOptions): Promise<TableSchema> {
    if (this.rawFolderOf(object)) {
      throw new BackendError("BACKEND_UNSUPPORTED", `${object.name} is a folder of raw files; it has no schema to check`, {
        fix: "Test the stage table loaded from it instead (SCHEMA of stage_..., STAGECOUNT compares the two).",
      });
    }
    return this.at(object, `Reading the schema of ${object.name}`, options, async (connection, database) => {
      const target = await this.resolveObject(connection, database, object);
      const schema = this.schemaName(object);
      const columnsQuery = await connection.prepare(
        `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
         WHERE database_name = $1 AND schema_name = $2 AND table_name = $3 ORDER BY column_index`,
      );
      bindValues(columnsQuery, [database.catalog, schema, target.name]);
      const columns: Column[] = (await readAll(columnsQuery)).map((r) => ({
        name: String(r.name),
        rawType: String(r.type),
        type: harmoniseType(String(r.type)),
      }));
      const keysQuery = await connection.prepare(
        `SELECT constraint_column_names AS names FROM duckdb_constraints()
         WHERE database_name = $1 AND schema_name = $2 AND table_name = $3 AND constraint_type = 'PRIMARY KEY'`,
      );
      bindValues(keysQuery, [database.catalog, schema, target.name]);
      const keyRow = (await readAll(keysQuery))[0];
      const primaryKeys = keyRow ? (JSON.parse(String(keyRow.names)) as string[]) : [];
      return { columns, primaryKeys, partitioning: null, clustering: null };
    });
  }

  async getQuerySchema(sql: string, at: Coordinates, options?: CallOptions): Promise<Column[]> {
    return this.at(at, `Reading the columns of a query at ${where(at)}`, options, async (connection) => {
      // Prepared, not run: DuckDB binds the query and reports its result types without materialising it.
      const { prepared } = await this.guard(connection, sql, "The query", true);
      try {
        return resultColumns(prepared).map((c) => {
          const rawType = c.type.alias ?? c.type.toString();
          return { name: c.name, rawType, type: harmoniseType(rawType) };
        });
      } finally {
        prepared.destroySync();
      }
    });
  }

  async countRows(object: TestObjectRef, filters: RowFilter[] = [], options?: CallOptions): Promise<number> {
    const conditions = filters.map((f, i) => (f.value === null ? `${quoteIdent(f.column)} IS NULL` : `${quoteIdent(f.column)} = $${i + 1}`));
    const filterValues = filters.map((f) => f.value).filter((v): v is string | number | boolean => v !== null);
    const folder = this.rawFolderOf(object);
    if (folder) {
      const database = await this.files();
      return this.session(database, null, `Counting the rows of ${object.name}`, options, async (connection) => {
        let total = 0;
        for (const file of filesIn(folder)) {
          const { source, values } = rawFileSource(file, {});
          total += await this.countWith(connection, source, values, filters);
        }
        return total;
      });
    }
    return this.at(object, `Counting the rows of ${object.name}`, options, async (connection, database) => {
      const target = await this.resolveObject(connection, database, object);
      const prepared = await connection.prepare(
        `SELECT count(*) AS n FROM ${target.sql}${conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""}`,
      );
      bindValues(prepared, filterValues);
      return count((await readAll(prepared))[0]?.n);
    });
  }

  /** count(*) of a table function source, with equality filters numbered after its own values. */
  private async countWith(connection: DuckDBConnection, source: string, values: (string | number | boolean)[], filters: RowFilter[]): Promise<number> {
    const all = [...values];
    const conditions = filters.map((f) => {
      if (f.value === null) return `${quoteIdent(f.column)} IS NULL`;
      all.push(f.value);
      return `${quoteIdent(f.column)} = $${all.length}`;
    });
    const prepared = await connection.prepare(`SELECT count(*) AS n FROM ${source}${conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""}`);
    bindValues(prepared, all);
    return count((await readAll(prepared))[0]?.n);
  }

  query(sql: string, at: Coordinates, options?: CallOptions): AsyncIterable<Row> {
    return this.stream(at, `The query at ${where(at)}`, options, async (connection) => (await this.guard(connection, sql, `The query at ${where(at)}`, false)).prepared);
  }

  scan(request: ScanRequest, options?: CallOptions): AsyncIterable<Row> {
    const what = `Scanning ${request.source.kind === "object" ? request.source.name : "a query"} at ${where(request.at)}`;
    return this.stream(request.at, what, options, async (connection, database) => {
      let from: string;
      if (request.source.kind === "object") {
        from = (await this.resolveObject(connection, database, { ...request.at, name: request.source.name })).sql;
      } else {
        const checked = await this.guard(connection, request.source.sql, "The scanned query", true);
        checked.prepared.destroySync();
        from = `(\n${checked.body}) AS __assay_scan`;
      }
      const columns = request.columns?.length ? request.columns.map(quoteIdent).join(", ") : "*";
      const order = request.orderBy.map((c) => `${quoteIdent(c)} ASC NULLS FIRST`).join(", ");
      return connection.prepare(`SELECT ${columns} FROM ${from} ORDER BY ${order}`);
    });
  }

  async latestLoad(object: TestObjectRef, columns: Partial<LoadColumns> = {}, options?: CallOptions): Promise<LatestLoad> {
    const load = LoadColumns.parse(columns);
    return this.at(object, `Reading the latest load of ${object.name}`, options, async (connection, database) => {
      const target = await this.resolveObject(connection, database, object);
      const ts = quoteIdent(load.timestamp);
      const file = quoteIdent(load.file);
      const prepared = await connection.prepare(
        `SELECT CAST(${file} AS VARCHAR) AS path, count(*) AS n, max(${ts}) AS loaded_at FROM ${target.sql}
         WHERE ${ts} = (SELECT max(${ts}) FROM ${target.sql}) GROUP BY 1 ORDER BY 1`,
      );
      const rows = await readAll(prepared);
      return {
        loadedAt: rows[0]?.loaded_at === undefined || rows[0].loaded_at === null ? null : String(rows[0].loaded_at),
        files: rows.map((r) => ({ path: String(r.path), rows: count(r.n) })),
      };
    });
  }

  async countRawFileRows(rawObject: TestObjectRef, paths: string[], options: RawFileOptions = {}, call?: CallOptions): Promise<RawFileCount[]> {
    const parsed = RawFileOptions.parse(options);
    const root = this.filesRoot(rawObject);
    const folder = this.rawFolderOf(rawObject);
    if (!folder) {
      throw new BackendError("BACKEND_OBJECT_NOT_FOUND", `No raw-file folder for ${rawObject.name} at ${where(rawObject)}`, {
        expected: rawObject.name.startsWith(RAW_PREFIX)
          ? `the folder ${resolve(root, rawObject.name.slice(RAW_PREFIX.length))}`
          : `a raw object named ${RAW_PREFIX}<folder>`,
        fix: "Check the backend option files (default raw/{domain}/{stage}/{instance}) and the folder name.",
      });
    }
    const files = paths.map((given) => ({ given, path: resolveRawPath(given, root, folder, rawObject.name) }));
    const database = await this.files();
    return this.session(database, null, `Counting the raw files of ${rawObject.name}`, call, async (connection) => {
      const counts: RawFileCount[] = [];
      for (const file of files) {
        const { source, values } = rawFileSource(file.path, parsed);
        counts.push({ path: file.given, rows: await this.countWith(connection, source, values, []) });
      }
      return counts;
    });
  }

  rawObjectFor(stageObject: string): string | null {
    const match = /^stage_(.+)$/.exec(stageObject);
    return match ? `${RAW_PREFIX}${match[1]}` : null;
  }

  async compare(input: CompareRequest, options?: CallOptions): Promise<CompareResult> {
    const request = CompareRequest.parse(input);
    const what = `COMPARE of ${request.object} at ${where(request.at)}`;
    return this.at(request.at, what, options, async (connection, database) => {
      const checked = await this.guard(connection, request.expectedSql, `The expected query of ${request.object}`, true);
      const expected = resultColumns(checked.prepared);
      checked.prepared.destroySync();
      const target = await this.resolveObject(connection, database, { ...request.at, name: request.object });
      const actualStatement = await connection.prepare(`SELECT * FROM ${target.sql}`);
      const actual = resultColumns(actualStatement);
      actualStatement.destroySync();

      const plan = planCompare(request, checked.body, expected, actual, target.sql);
      try {
        await connection.run(plan.groupSql, plan.groupValues.length ? plan.groupValues : undefined);
        await connection.run(plan.detailSql, plan.detailValues.length ? plan.detailValues : undefined);
        const summary = (await connection.runAndReadAll(plan.summarySql)).convertRowObjects(toCellValue)[0] ?? {};
        const rows = request.maxDiffRows > 0 ? (await connection.runAndReadAll(plan.diffSql)).convertRowObjects(toCellValue) : [];
        const n = (name: string) => count(summary[name]);
        const diff: DiffRow[] = [];
        for (const row of rows) diff.push(...toDiffRows(row, plan.keys, plan.columns.map((c) => c.name)));
        const total = n("missing") + n("extra") + n("mismatched") + n("duplicate_expected") + n("duplicate_actual");
        return {
          expectedRows: n("expected_rows"),
          actualRows: n("actual_rows"),
          matchedRows: n("matched_by_hash") + n("matched_by_value"),
          missingRows: n("missing"),
          extraRows: n("extra"),
          mismatchedRows: n("mismatched"),
          duplicateKeys: { expected: n("duplicate_expected"), actual: n("duplicate_actual") },
          columns: plan.columns.map((c, i) => ({ name: c.name, mismatches: n(`m${i}`) })),
          diff: diff.slice(0, request.maxDiffRows),
          truncated: total > request.maxDiffRows,
          sample: request.sample ? { percent: request.sample.percent, seed: request.sample.seed } : null,
        };
      } finally {
        await connection.run(`DROP TABLE IF EXISTS ${plan.tables.details}; DROP TABLE IF EXISTS ${plan.tables.groups}`).catch(() => undefined);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.databases.values(), ...(this.filesDatabase ? [this.filesDatabase] : [])];
    this.databases.clear();
    this.filesDatabase = null;
    await Promise.all(all.map((d) => d.then((db) => db.close(), () => undefined)));
  }
}

/** One row of the details table → its diff rows (a key repeated on both sides gives two). */
function toDiffRows(row: Row, keys: string[], columns: string[]): DiffRow[] {
  const ne = count(row.__ne);
  const na = count(row.__na);
  const key: Row = {};
  keys.forEach((k, i) => (key[k] = row[`__k${i}`] ?? null));
  const side = (prefix: "__e" | "__a"): Row => {
    const values: Row = { ...key };
    columns.forEach((c, i) => (values[c] = row[`${prefix}${i}`] ?? null));
    return values;
  };
  if (ne > 1 || na > 1) {
    const out: DiffRow[] = [];
    if (ne > 1) out.push({ kind: "duplicate", key, expected: null, actual: null, columns: [], side: "expected", count: ne });
    if (na > 1) out.push({ kind: "duplicate", key, expected: null, actual: null, columns: [], side: "actual", count: na });
    return out;
  }
  if (na === 0) return [{ kind: "missing", key, expected: side("__e"), actual: null, columns: [] }];
  if (ne === 0) return [{ kind: "extra", key, expected: null, actual: side("__a"), columns: [] }];
  const differing = columns.filter((_, i) => row[`__m${i}`] === true);
  return [{ kind: "mismatch", key, expected: side("__e"), actual: side("__a"), columns: differing }];
}

function closedError(): BackendError {
  return new BackendError("BACKEND_CLOSED", "The duckdb backend was closed; no more queries can run on it", {
    fix: "Create a new backend; close() is called once a run has finished.",
  });
}
