import { readFileSync } from "node:fs";
import type { BackendCapabilities, TableSchema } from "@assay/ports";
import { describe, expect, it } from "vitest";
import type { ResolvedDomain } from "../src/config/schema.js";
import { harmoniseTypeName, TYPE_FAMILIES, TYPE_VOCABULARY, typeListed, typeMatches } from "../src/specs/harmonise-type.js";
import type { ColumnDiffEntry } from "../src/testtypes/schema-columns.js";
import { SHOP_SCHEMAS } from "./fixtures/shop-schemas.js";
import { FakeBackend } from "./support/fake-backend.js";
import { runOne } from "./support/run-one.js";

const INTEGERS = ["tinyint", "smallint", "int", "bigint", "hugeint", "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"];
const OTHERS = ["decimal(18,0)", "decimal", "float", "double", "string", "boolean", "date", "time", "timetz", "timestamp", "timestamptz", "interval", "binary", "json", "uuid"];
const accepted = (specType: string, candidates: string[]) => candidates.filter((actual) => typeMatches(specType, actual));

describe("SCHEMA type families and widths", () => {
  it("int and integer accept every integer width, signed and unsigned, and nothing else", () => {
    for (const spec of ["int", "integer", "INT", "Integer", "int(11)"]) {
      expect(accepted(spec, [...INTEGERS, ...OTHERS])).toEqual(INTEGERS);
    }
    // The count(*) case: a mart's count column is BIGINT on every engine.
    expect(typeMatches("int", "bigint")).toBe(true);
  });

  it("an integer width names exactly that width", () => {
    expect(accepted("tinyint", INTEGERS)).toEqual(["tinyint"]);
    expect(accepted("int1", INTEGERS)).toEqual(["tinyint"]);
    expect(accepted("SMALLINT", INTEGERS)).toEqual(["smallint"]);
    expect(accepted("int2", INTEGERS)).toEqual(["smallint"]);
    expect(accepted("int4", INTEGERS)).toEqual(["int"]);
    expect(accepted("int32", INTEGERS)).toEqual(["int"]);
    expect(accepted("bigint", INTEGERS)).toEqual(["bigint"]);
    expect(accepted("INT8", INTEGERS)).toEqual(["bigint"]);
    expect(accepted("int64", INTEGERS)).toEqual(["bigint"]);
    expect(accepted("hugeint", INTEGERS)).toEqual(["hugeint"]);
    expect(accepted("uinteger", INTEGERS)).toEqual(["uinteger"]);
    expect(accepted("int unsigned", INTEGERS)).toEqual(["uinteger"]);
    expect(accepted("bigint unsigned", INTEGERS)).toEqual(["ubigint"]);
    expect(accepted("ubigint", INTEGERS)).toEqual(["ubigint"]);
  });

  it("float accepts both binary floating types; double and real mean one", () => {
    expect(accepted("float", [...INTEGERS, ...OTHERS])).toEqual(["float", "double"]);
    expect(accepted("FLOAT", ["float", "double"])).toEqual(["float", "double"]);
    expect(accepted("double", [...INTEGERS, ...OTHERS])).toEqual(["double"]);
    expect(accepted("double precision", ["float", "double"])).toEqual(["double"]);
    expect(accepted("float8", ["float", "double"])).toEqual(["double"]);
    expect(accepted("real", ["float", "double"])).toEqual(["float"]);
    expect(accepted("float4", ["float", "double"])).toEqual(["float"]);
  });

  it("decimal and numeric accept every precision without parameters and exactly theirs with them", () => {
    const decimals = ["decimal(12,2)", "decimal(38,0)", "decimal(18,4)", "decimal"];
    expect(accepted("decimal", [...decimals, "int", "double"])).toEqual(decimals);
    expect(accepted("NUMERIC", decimals)).toEqual(decimals);
    expect(accepted("decimal(12,2)", decimals)).toEqual(["decimal(12,2)"]);
    expect(accepted("NUMERIC(12, 2)", decimals)).toEqual(["decimal(12,2)"]);
    // SQL's default scale: numeric(38) is numeric(38,0).
    expect(accepted("numeric(38)", decimals)).toEqual(["decimal(38,0)"]);
    // PostgreSQL's unconstrained numeric is not decimal(12,2).
    expect(typeMatches("decimal(12,2)", "decimal")).toBe(false);
  });

  it("every character type name accepts string, and lengths are not compared", () => {
    for (const spec of ["string", "text", "VARCHAR", "varchar(20)", "char(3)", "character varying(40)", "bpchar", "nvarchar(10)"]) {
      expect(accepted(spec, [...INTEGERS, ...OTHERS])).toEqual(["string"]);
    }
    expect(typeMatches("varchar(20)", "varchar(40)")).toBe(true);
  });

  it("keeps time zones apart and ignores time precision", () => {
    expect(accepted("timestamp", OTHERS)).toEqual(["timestamp"]);
    expect(accepted("timestamptz", OTHERS)).toEqual(["timestamptz"]);
    expect(accepted("TIMESTAMP WITH TIME ZONE", OTHERS)).toEqual(["timestamptz"]);
    expect(accepted("timestamp(3) without time zone", OTHERS)).toEqual(["timestamp"]);
    expect(accepted("datetime", OTHERS)).toEqual(["timestamp"]);
    expect(accepted("timestamp_ns", OTHERS)).toEqual(["timestamp"]);
    expect(accepted("time", OTHERS)).toEqual(["time"]);
    expect(accepted("time with time zone", OTHERS)).toEqual(["timetz"]);
    expect(accepted("date", OTHERS)).toEqual(["date"]);
  });

  it("names the remaining types by any of their spellings", () => {
    expect(accepted("bool", OTHERS)).toEqual(["boolean"]);
    expect(accepted("bytea", OTHERS)).toEqual(["binary"]);
    expect(accepted("BLOB", OTHERS)).toEqual(["binary"]);
    expect(accepted("jsonb", OTHERS)).toEqual(["json"]);
    expect(accepted("UUID", OTHERS)).toEqual(["uuid"]);
    expect(accepted("interval", OTHERS)).toEqual(["interval"]);
  });

  it("every name in the vocabulary accepts exactly its type, or its whole family", () => {
    const all = TYPE_VOCABULARY.map((t) => t.type);
    const families = new Map(TYPE_FAMILIES.flatMap((f) => f.names.map((n) => [n, f.types] as const)));
    for (const entry of TYPE_VOCABULARY) {
      for (const name of [entry.type, ...entry.aliases]) {
        expect([name, accepted(name, all)]).toEqual([name, families.get(name) ?? [entry.type]]);
      }
    }
  });

  it("matches nested types element by element, in either engine's spelling", () => {
    expect(typeMatches("int[]", "integer[]")).toBe(true);
    expect(typeMatches("int[]", "bigint[]")).toBe(true);
    expect(typeMatches("bigint[]", "integer[]")).toBe(false);
    expect(typeMatches("int[]", "int")).toBe(false);
    expect(typeMatches("string[]", "character varying[]")).toBe(true);
    expect(typeMatches("string[]", "varchar[]")).toBe(true);
    expect(typeMatches("decimal(12,2)[]", "numeric(12,2)[]")).toBe(true);
    expect(typeMatches("list(int)", "integer[]")).toBe(true);
    expect(typeMatches("array<int>", "integer[3]")).toBe(true);
    expect(typeMatches("int[][]", "integer[]")).toBe(false);
    expect(typeMatches("struct(id int, name string)", "struct(id bigint, \"Name\" varchar)")).toBe(true);
    expect(typeMatches("struct<id: int, name: string>", "STRUCT(id INTEGER, name VARCHAR)")).toBe(true);
    expect(typeMatches("struct(id int, name string)", "struct(name varchar, id integer)")).toBe(false);
    expect(typeMatches("struct(id int)", "struct(key integer)")).toBe(false);
    expect(typeMatches("struct(id int)", "struct(id integer, name varchar)")).toBe(false);
    expect(typeMatches("row(int, string)", "ROW(BIGINT, VARCHAR)")).toBe(true);
    expect(typeMatches("row(int, string)", "row(varchar, integer)")).toBe(false);
    expect(typeMatches("map(string, int)", "MAP(VARCHAR, BIGINT)")).toBe(true);
    expect(typeMatches("map(string, int)", "map(varchar, double)")).toBe(false);
    expect(typeMatches("struct(tags string[], attrs map(string, decimal))", "struct(tags varchar[], attrs map(varchar, decimal(12,2)))")).toBe(true);
  });

  it("compares unknown types as written, spacing and case aside", () => {
    expect(typeMatches("GEOMETRY", "geometry")).toBe(true);
    expect(typeMatches("enum('a', 'b')", "ENUM('a','b')")).toBe(true);
    expect(typeMatches("enum('a')", "enum('b')")).toBe(false);
    expect(typeMatches("geometry", "string")).toBe(false);
  });
});

describe("harmoniseTypeName", () => {
  it.each([
    ["INTEGER", "int"], ["int4", "int"], ["BIGINT", "bigint"], ["VARCHAR", "string"], ["STRING", "string"], ["TEXT", "string"],
    // Changed: lengths and time precision are not compared, so they are not part of the harmonised name.
    ["character varying(20)", "string"], ["timestamp(3) with time zone", "timestamptz"],
    ["DECIMAL(12, 2)", "decimal(12,2)"], ["NUMERIC", "decimal"], ["numeric(12)", "decimal(12,0)"], ["double precision", "double"],
    ["TIMESTAMP WITH TIME ZONE", "timestamptz"], ["BOOL", "boolean"], ["Geometry", "geometry"],
    ["character varying[]", "string[]"], ["STRUCT(a INTEGER, \"B c\" VARCHAR[])", 'struct(a int, "b c" string[])'], ["MAP(VARCHAR, DOUBLE)", "map(string, double)"],
    ["row(int, varchar)", "struct(int, string)"],
  ])("%s → %s", (input, output) => expect(harmoniseTypeName(input)).toBe(output));
});

describe("compareTypes entries", () => {
  it("a family entry covers its family name and every width in it", () => {
    expect(typeListed("int", "int")).toBe(true);
    expect(typeListed("int", "integer")).toBe(true);
    expect(typeListed("INT", "bigint")).toBe(true);
    expect(typeListed("integer", "smallint")).toBe(true);
    expect(typeListed("float", "double")).toBe(true);
    expect(typeListed("float", "real")).toBe(true);
    expect(typeListed("int", "decimal(12,2)")).toBe(false);
  });

  it("a width or type entry covers what it accepts, never a whole family", () => {
    expect(typeListed("bigint", "int8")).toBe(true);
    expect(typeListed("bigint", "int")).toBe(false);
    expect(typeListed("bigint", "smallint")).toBe(false);
    expect(typeListed("double", "float")).toBe(false);
    expect(typeListed("DECIMAL", "decimal(12,2)")).toBe(true);
    expect(typeListed("string", "varchar(20)")).toBe(true);
    expect(typeListed("timestamp", "timestamptz")).toBe(false);
    expect(typeListed("int[]", "bigint[]")).toBe(true);
    expect(typeListed("int", "int[]")).toBe(false);
  });
});

describe("the README's SCHEMA types table", () => {
  it("is the vocabulary in code", () => {
    const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(", ");
    const familyNames = new Set(TYPE_FAMILIES.flatMap((f) => f.names));
    const rows = [
      "| in a spec | accepts (the harmonised types backends report) |",
      "|---|---|",
      ...TYPE_FAMILIES.map((f) => `| ${code(f.names)} | ${f.description}: ${code(f.types)} |`),
      ...TYPE_VOCABULARY.map((t) => `| ${code([t.type, ...t.aliases].filter((n) => !familyNames.has(n)))} | \`${t.type}\`: ${t.description} |`),
    ];
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    // When this fails, paste the expected table into the README's "SCHEMA types" section.
    expect(readme).toContain(rows.join("\n"));
  });
});

describe("SCHEMA on DuckDB and PostgreSQL", () => {
  const CAPABILITIES: Record<keyof typeof SHOP_SCHEMAS, Partial<BackendCapabilities>> = {
    duckdb: { primaryKeys: true, partitioning: false, clustering: false },
    postgres: { primaryKeys: true, partitioning: true, clustering: true },
  };
  const backendFor = (engine: keyof typeof SHOP_SCHEMAS) => {
    const backend = new FakeBackend(CAPABILITIES[engine]);
    for (const [name, schema] of Object.entries(SHOP_SCHEMAS[engine]) as [string, TableSchema][]) backend.table(name, { ...schema, rows: [] });
    return backend;
  };
  const spec = (lines: string[]) => `columns:\n${lines.map((l) => `  - ${l}\n`).join("")}`;
  const families = spec([
    "{ name: id, type: int, pk: true }", "{ name: order_count, type: int }", "{ name: qty, type: integer }", "{ name: amount, type: decimal }",
    "{ name: price, type: 'numeric(18,4)' }", "{ name: ratio, type: float }", "{ name: score, type: float }", "{ name: name, type: 'varchar(20)' }",
    "{ name: country, type: 'char(3)' }", "{ name: note, type: text }", "{ name: active, type: boolean }", "{ name: ordered_on, type: date }",
    "{ name: ordered_at_time, type: time }", "{ name: created_at, type: timestamp }", "{ name: created_at_tz, type: timestamptz }",
    "{ name: delay, type: interval }", "{ name: payload, type: json }", "{ name: guid, type: uuid }", "{ name: tags, type: 'string[]' }",
    "{ name: scores, type: 'int[]' }", "{ name: amounts, type: 'decimal(12,2)[]' }", "{ name: raw_bytes, type: binary }",
  ]);
  const widths = families
    .replace("order_count, type: int", "order_count, type: bigint").replace("qty, type: integer", "qty, type: smallint")
    .replace("id, type: int,", "id, type: int4,").replace("ratio, type: float", "ratio, type: real").replace("score, type: float", "score, type: double precision");
  const drifted = families
    .replace("order_count, type: int", "order_count, type: smallint").replace("created_at, type: timestamp", "created_at, type: timestamptz")
    .replace("amount, type: decimal", "amount, type: 'decimal(12,3)'").replace("tags, type: 'string[]'", "tags, type: 'int[]'")
    .replace("score, type: float", "score, type: real");
  const stage = spec(["{ name: id, type: int, pk: true }", "{ name: customer_id, type: int }", "{ name: total, type: 'decimal(12,2)' }", "{ name: loaded_at, type: timestamp }"]);
  const daily = spec(["{ name: order_day, type: date, pk: true }", "{ name: customer_id, type: int, pk: true }", "{ name: order_count, type: int }", "{ name: revenue, type: float }"]);
  const strict = { schema: { requireDeclaredKeys: true } } satisfies Partial<ResolvedDomain>;

  const cases: { label: string; object: keyof (typeof SHOP_SCHEMAS)["duckdb"]; spec: string; domain?: Partial<ResolvedDomain>; result: string; summary: string }[] = [
    { label: "family names", object: "mart_orders", spec: families, result: "OK", summary: "Schema matches the spec: columns OK; primary keys OK." },
    { label: "exact widths", object: "mart_orders", spec: widths, result: "OK", summary: "Schema matches the spec: columns OK; primary keys OK." },
    {
      label: "drifted types", object: "mart_orders", spec: drifted, result: "NOK",
      summary: "Schema deviates from the spec: columns NOK (5 type mismatch: order_count smallint ≠ bigint, amount decimal(12,3) ≠ decimal(12,2), score float ≠ double, created_at timestamptz ≠ timestamp, tags int[] ≠ string[]); primary keys OK.",
    },
    { label: "a stage table without a declared key", object: "stage_orders", spec: stage, result: "OK", summary: "Schema matches the spec: columns OK; no primary key declared." },
    {
      label: "a stage table under requireDeclaredKeys", object: "stage_orders", spec: stage, domain: strict, result: "NOK",
      summary: "Schema deviates from the spec: columns OK; primary keys NOK (expected id, found none).",
    },
    { label: "a mart with a compound key", object: "mart_daily", spec: daily, domain: strict, result: "OK", summary: "Schema matches the spec: columns OK; primary keys OK." },
  ];

  it.each(cases)("gives the same verdict for $label", async ({ object, spec: text, domain, result, summary }) => {
    const verdicts = [];
    for (const engine of ["duckdb", "postgres"] as const) {
      const { result: r } = await runOne(backendFor(engine), { object, type: "schema" }, { [`${object}.schema.yaml`]: text }, { domain });
      verdicts.push({ result: r.result, summary: r.summary, columns: (r.diff.column_diff as ColumnDiffEntry[]).map((e) => `${e.expected_column}:${e.result}`) });
    }
    expect(verdicts[0]).toEqual(verdicts[1]);
    expect(verdicts[0]).toMatchObject({ result, summary });
  });
});
