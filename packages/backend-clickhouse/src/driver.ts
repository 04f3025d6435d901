import type { CellValue, Row } from "@assay/ports";
import { closedError, embeddable, isoTimestamp, readOnlyError, safeInteger, specialFloat, firstKeyword, refusedKind, statementKinds, STATEMENT_VERBS, type Driver, type DriverSession, type ErrorRule, type ErrorTable, type NativeColumn, type Param, type SessionTarget } from "@assay/sql";
import type { Channel, Transport } from "./transport.js";

/**
 * Settings of every statement. readonly = 2: only reads run (settings may change, readonly
 * itself may not); join_use_nulls: an unmatched side of an outer join is NULL, not the type's
 * default; 64-bit integers, decimals and NaN/Inf as JSON strings, so nothing passes through a
 * double; prefer_column_name_to_alias: WHERE reads columns, not same-named aliases (standard SQL); UTC.
 */
function settings(timeoutMs: number): Record<string, string | number> {
  return {
    readonly: 2, join_use_nulls: 1, output_format_json_quote_64bit_integers: 1, output_format_json_quote_decimals: 1, output_format_json_quote_denormals: 1,
    output_format_decimal_trailing_zeros: 1, prefer_column_name_to_alias: 1, session_timezone: "UTC", max_execution_time: Math.ceil(timeoutMs / 1000),
  };
}

/** `Nullable(LowCardinality(String))` → `String`, `DateTime64(3, 'UTC')` → `DateTime64(3)`: what harmonising reads. */
export function plainType(type: string): string {
  let t = type.trim();
  for (let m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(t); m; m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(t)) t = m[1]!;
  // A UNION of a decimal and a float (1.00 is a Float64 literal) is a Variant on recent servers; it compares as Float64, as before Variants.
  const variant = /^Variant\((.*)\)$/.exec(t);
  if (variant && variant[1]!.split(/,\s*(?![^()]*\))/).every((m) => /^(U?Int\d+|Float\d+|Decimal(\d*)?\(.*\))$/.test(m.trim()))) return "Float64";
  return t.replace(/^(DateTime64\(\d+)\s*,\s*'[^']*'\)$/, "$1)").replace(/^DateTime\('[^']*'\)$/, "DateTime").replace(/^(Enum(?:8|16))\(.*\)$/, "$1");
}

/** A converter per column type: wide integers to numbers when exact, nan and inf as NaN and Infinity, DateTime text to ISO. */
function converter(type: string): ((value: unknown) => CellValue) | null {
  const t = plainType(type);
  if (/^U?Int(64|128|256)$/.test(t)) return safeInteger;
  if (/^Float/.test(t)) return specialFloat;
  if (/^DateTime/.test(t)) return isoTimestamp;
  return null;
}

const NETWORK = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|socket hang up|Timeout error/i;

function errorTable(server: string): ErrorTable {
  const code = (message: string, native: string | undefined): number => Number(native ?? /Code: (\d+)/.exec(message)?.[1] ?? NaN);
  const rules: ErrorRule[] = [
    { code: "BACKEND_UNREACHABLE", fatal: true, match: (e) => NETWORK.test(e.message) || (e.code !== undefined && NETWORK.test(e.code)), message: (e) => `${server} is unreachable: ${e.message}`,
      fix: "Check that the server runs and that the url in the backend options is right." },
    { code: "BACKEND_AUTH", fatal: true, match: (e) => [192, 516].includes(code(e.message, e.code)), message: (e) => `${server} refused the login: ${e.message}`, fix: "Check user and password in the url." },
    { code: "BACKEND_READ_ONLY", fatal: false, match: (e) => code(e.message, e.code) === 164, message: (e) => `${server} refused a statement that writes, since assay runs queries read-only: ${e.message}` },
    { code: "BACKEND_TIMEOUT", fatal: false, match: (e) => [159, 394].includes(code(e.message, e.code)), message: (e) => `The query ran too long or was cancelled: ${e.message}` },
    { code: "BACKEND_OBJECT_NOT_FOUND", fatal: false, match: (e) => [60, 81].includes(code(e.message, e.code)), message: (e, s) => `${e.message} (database ${JSON.stringify(s.target?.database ?? "")})`,
      fix: "Check the object name and the `database` template in the backend options (default {domain}_{stage}_{instance})." },
    { code: "BACKEND_QUERY", fatal: false, match: () => true, message: (e) => `ClickHouse refused the query: ${e.message}` },
  ];
  return { rules };
}

/** Bound parameters as `{p<n>:String}` values (ClickHouse converts them where compared with numbers). */
const bound = (params: readonly Param[]): Record<string, string> => Object.fromEntries(params.map((p, i) => [`p${i + 1}`, p === null ? "" : String(p)]));

/** One session: a database and its channel (on chDB, a connection of its own) until release. */
class ClickHouseSession implements DriverSession {
  private released = false;
  constructor(private readonly channel: Channel, private readonly target: SessionTarget, private readonly signal: AbortSignal, private readonly settings: Record<string, string | number>) {}


  async *batches(sql: string, params: readonly Param[], streamed: boolean): AsyncGenerator<{ columns: NativeColumn[]; rows: Row[] }> {
    if (this.released) throw closedError("clickhouse");
    let names: string[] | undefined;
    let types: string[] | undefined;
    let converters: Array<((value: unknown) => CellValue) | null> = [];
    for await (const lines of this.channel.lines(sql, bound(params), this.target.database, this.settings, this.signal, streamed)) {
      const rows: Row[] = [];
      for (const line of lines) {
        if (!names) names = line.map(String);
        else if (!types) {
          types = line.map(String);
          converters = types.map(converter);
        } else rows.push(Object.fromEntries(names.map((n, i) => [n, converters[i] ? converters[i](line[i]) : (line[i] as CellValue)])));
      }
      yield { columns: (names ?? []).map((name, i) => ({ name, nativeType: types?.[i] ?? "" })), rows };
    }
  }

  async all(sql: string, params: readonly Param[] = []): Promise<Row[]> {
    const out: Row[] = [];
    for await (const batch of this.batches(sql, params, false)) out.push(...batch.rows);
    return out;
  }

  async *stream(sql: string, params: readonly Param[] = []): AsyncGenerator<Row[]> {
    for await (const batch of this.batches(sql, params, true)) if (batch.rows.length > 0) yield batch.rows;
  }

  async describe(sql: string): Promise<NativeColumn[]> {
    let columns: NativeColumn[] = [];
    for await (const batch of this.batches(`SELECT * FROM (\n${embeddable(sql)}) LIMIT 0`, [], false)) if (batch.columns.length > 0) columns = batch.columns;
    return columns.map((c) => ({ name: c.name, nativeType: plainType(c.nativeType) }));
  }

  /**
   * ClickHouse parses without running: EXPLAIN AST of the SQL as a subquery parses only when it
   * is one query. The SQL is never sent on its own (chDB would run a second statement after `;`).
   */
  async checkReadOnly(sql: string, what: string): Promise<void> {
    try {
      await this.all(`EXPLAIN AST SELECT * FROM (\n${embeddable(sql)})`);
    } catch (error) {
      // Not one query: several statements, a write (behind WITH too) or another statement is refused; a misspelt query (SELEKT) keeps the server's syntax error.
      const kinds = statementKinds(sql);
      const first = kinds[0]?.first ?? firstKeyword(sql);
      if (kinds.length > 1 || kinds.some((k) => k.writes.length > 0) || (first !== "SELECT" && first !== "WITH" && STATEMENT_VERBS.has(first))) {
        throw readOnlyError("clickhouse", what, `is ${refusedKind(sql)}, not one query`, "a single SELECT (WITH ... SELECT)");
      }
      throw error;
    }
  }

  async release(): Promise<void> {
    if (!this.released) this.channel.release();
    this.released = true;
  }
}

/** The ClickHouse driver over either transport. */
export class ClickHouseDriver implements Driver {
  readonly engine = "ClickHouse";
  readonly errors: ErrorTable;
  private closed = false;
  private readonly settings: Record<string, string | number>;

  constructor(private readonly transport: Transport, timeoutMs: number, where: string) {
    this.errors = errorTable(where);
    this.settings = settings(timeoutMs);
  }

  async open(target: SessionTarget, signal: AbortSignal): Promise<DriverSession> {
    if (this.closed) throw closedError("clickhouse");
    return new ClickHouseSession(await this.transport.channel(), target, signal, this.settings);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.transport.close().catch(() => undefined);
  }
}
