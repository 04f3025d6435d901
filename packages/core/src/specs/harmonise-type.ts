/**
 * SCHEMA's type vocabulary, in one place: the harmonised types that backends report in
 * Column.type, the other names (SQL's and engines') that mean exactly one of them, and the
 * family names with which a spec accepts a whole family. typeMatches and typeListed read these
 * tables, and the README's "SCHEMA types" table is checked against them by a test.
 *
 * Both sides go through the same tables, so a verdict never depends on how an engine spells a
 * type: an element type inside `varchar[]` (DuckDB) and `character varying[]` (PostgreSQL)
 * harmonises alike.
 */

export interface VocabularyType {
  /** The harmonised name, as backends report it in Column.type. */
  type: string;
  /** Other names for exactly this type, in a spec or from an engine. */
  aliases: readonly string[];
  /** What the type is, for the docs. */
  description: string;
  /** Its parameters (precision and scale) are compared; every other type's are ignored. */
  parameters?: true;
}

export interface VocabularyFamily {
  /** Spec names that accept every type of the family; in a spec they never mean one width. */
  names: readonly string[];
  types: readonly string[];
  description: string;
}

export const TYPE_VOCABULARY: readonly VocabularyType[] = [
  { type: "tinyint", aliases: ["int1"], description: "8-bit integer" },
  { type: "smallint", aliases: ["int2", "int16", "short"], description: "16-bit integer" },
  { type: "int", aliases: ["integer", "int4", "int32", "signed"], description: "32-bit integer" },
  { type: "bigint", aliases: ["int8", "int64", "long"], description: "64-bit integer" },
  { type: "hugeint", aliases: ["int128"], description: "128-bit integer" },
  { type: "utinyint", aliases: ["uint8", "tinyint unsigned"], description: "unsigned 8-bit integer" },
  { type: "usmallint", aliases: ["uint16", "smallint unsigned"], description: "unsigned 16-bit integer" },
  { type: "uinteger", aliases: ["uint32", "int unsigned", "integer unsigned"], description: "unsigned 32-bit integer" },
  { type: "ubigint", aliases: ["uint64", "bigint unsigned"], description: "unsigned 64-bit integer" },
  { type: "uhugeint", aliases: ["uint128"], description: "unsigned 128-bit integer" },
  {
    type: "decimal",
    aliases: ["numeric", "number", "dec"],
    description: "exact number; without parameters every precision and scale, `decimal(p,s)` exactly those, `decimal(p)` is `decimal(p,0)`",
    parameters: true,
  },
  { type: "float", aliases: ["real", "float4", "float32"], description: "4-byte binary floating point" },
  { type: "double", aliases: ["double precision", "float8", "float64"], description: "8-byte binary floating point" },
  {
    type: "string",
    aliases: ["varchar", "text", "char", "character", "character varying", "nvarchar", "nchar", "bpchar", "clob", "name"],
    description: "every character type; lengths (`varchar(20)`, `char(3)`) are not compared",
  },
  { type: "boolean", aliases: ["bool", "logical"], description: "true or false" },
  { type: "date", aliases: [], description: "calendar date" },
  { type: "time", aliases: ["time without time zone"], description: "time of day" },
  { type: "timetz", aliases: ["time with time zone"], description: "time of day with time zone" },
  {
    type: "timestamp",
    aliases: ["datetime", "timestamp without time zone", "timestamp_ntz", "timestamp_s", "timestamp_ms", "timestamp_ns"],
    description: "date and time without time zone, at any precision",
  },
  {
    type: "timestamptz",
    aliases: ["timestamp with time zone", "timestamp_tz", "timestamp_ltz"],
    description: "date and time with time zone (never equal to `timestamp`)",
  },
  { type: "interval", aliases: [], description: "duration" },
  { type: "binary", aliases: ["varbinary", "blob", "bytea", "bytes"], description: "bytes" },
  { type: "json", aliases: ["jsonb"], description: "JSON document" },
  { type: "uuid", aliases: [], description: "UUID" },
];

export const TYPE_FAMILIES: readonly VocabularyFamily[] = [
  {
    names: ["int", "integer"],
    types: ["tinyint", "smallint", "int", "bigint", "hugeint", "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"],
    description: "every integer width, signed and unsigned",
  },
  { names: ["float"], types: ["float", "double"], description: "every binary floating point type" },
];

const TYPE_BY_NAME = new Map(TYPE_VOCABULARY.flatMap((t) => [t.type, ...t.aliases].map((name) => [name, t] as const)));
const FAMILY_BY_NAME = new Map(TYPE_FAMILIES.flatMap((f) => f.names.map((name) => [name, f] as const)));

/** A parsed type name. `name` is the scalar's name as written (lower-cased, without parameters). */
type TypeNode =
  | { kind: "scalar"; name: string; type: string; params: string | null }
  | { kind: "list"; element: TypeNode }
  | { kind: "map"; key: TypeNode; value: TypeNode }
  | { kind: "struct"; fields: { name: string; type: TypeNode }[] };

/** Splits at commas outside brackets and quotes: `a int, b map(int, text)` → two parts. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if ("(<[".includes(ch)) depth++;
    else if (")>]".includes(ch)) depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** `a integer`, `"Order Id" varchar`, `a: int` → field name (unquoted) and type; `int` alone is an unnamed field. */
function parseField(text: string): { name: string; type: TypeNode } {
  const match = /^("(?:[^"]|"")*"|[^\s:"]+)(?:\s*:\s*|\s+)(.+)$/.exec(text);
  if (!match) return { name: "", type: parseType(text) };
  const name = match[1]!.startsWith('"') ? match[1]!.slice(1, -1).replace(/""/g, '"') : match[1]!;
  return { name, type: parseType(match[2]!) };
}

function parseScalar(text: string): TypeNode {
  // `timestamp(3) with time zone` keeps its words around the parameters.
  const match = /^([^(]*?)\s*\((.*)\)\s*(.*)$/.exec(text);
  const name = match ? `${match[1]!} ${match[3]!}`.trim() : text;
  const entry = TYPE_BY_NAME.get(name);
  // Unknown names compare as written, spacing around punctuation aside: `enum('a', 'b')`.
  if (!entry) return { kind: "scalar", name, type: text.replace(/\s*([(),])\s*/g, "$1"), params: null };
  if (!entry.parameters || !match) return { kind: "scalar", name, type: entry.type, params: null };
  const params = match[2]!.split(",").map((p) => p.trim());
  // A decimal's scale defaults to 0, as in SQL: decimal(12) is decimal(12,0).
  return { kind: "scalar", name, type: entry.type, params: (params.length === 1 ? [...params, "0"] : params).join(",") };
}

/** Parses a type name as a spec or an engine writes it, nested types included. */
function parseType(typeName: string): TypeNode {
  const text = typeName.trim().toLowerCase().replace(/\s+/g, " ");
  const list = /^(.+?)\s*\[\d*\]$/.exec(text);
  if (list) return { kind: "list", element: parseType(list[1]!) };
  const nested = /^(list|array|map|struct|row)\s*[(<](.*)[)>]$/.exec(text);
  if (nested) {
    const parts = splitTopLevel(nested[2]!);
    if ((nested[1] === "list" || nested[1] === "array") && parts.length === 1) return { kind: "list", element: parseType(parts[0]!) };
    if (nested[1] === "map" && parts.length === 2) return { kind: "map", key: parseType(parts[0]!), value: parseType(parts[1]!) };
    if (nested[1] === "struct" || nested[1] === "row") return { kind: "struct", fields: parts.map(parseField) };
  }
  return parseScalar(text);
}

const quoted = (name: string): string => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

function render(node: TypeNode): string {
  switch (node.kind) {
    case "scalar":
      return node.params === null ? node.type : `${node.type}(${node.params})`;
    case "list":
      return `${render(node.element)}[]`;
    case "map":
      return `map(${render(node.key)}, ${render(node.value)})`;
    case "struct":
      return `struct(${node.fields.map((f) => (f.name ? `${quoted(f.name)} ` : "") + render(f.type)).join(", ")})`;
  }
}

function familyOf(node: TypeNode): VocabularyFamily | undefined {
  return node.kind === "scalar" ? FAMILY_BY_NAME.get(node.name) : undefined;
}

function matches(spec: TypeNode, actual: TypeNode): boolean {
  switch (spec.kind) {
    case "list":
      return actual.kind === "list" && matches(spec.element, actual.element);
    case "map":
      return actual.kind === "map" && matches(spec.key, actual.key) && matches(spec.value, actual.value);
    case "struct":
      return (
        actual.kind === "struct" &&
        spec.fields.length === actual.fields.length &&
        spec.fields.every((f, i) => f.name === actual.fields[i]!.name && matches(f.type, actual.fields[i]!.type))
      );
    case "scalar": {
      if (actual.kind !== "scalar") return false;
      const family = familyOf(spec);
      if (family) return family.types.includes(actual.type);
      return spec.type === actual.type && (spec.params === null || spec.params === actual.params);
    }
  }
}

/**
 * `INTEGER` → `int`, `VARCHAR(20)` → `string`, `NUMERIC(12)` → `decimal(12,0)`,
 * `character varying[]` → `string[]`; an unknown name → lower-cased.
 */
export function harmoniseTypeName(name: string): string {
  return render(parseType(name));
}

/**
 * Whether an object's column type satisfies a spec type. A family name (`int`, `integer`,
 * `float`) accepts every type of its family; any other name accepts exactly its type; `decimal`
 * compares precision and scale only when the spec gives them; nested types match element by
 * element, struct fields by name and order.
 */
export function typeMatches(specType: string, actualType: string): boolean {
  return matches(parseType(specType), parseType(actualType));
}

/**
 * Whether a `compareTypes` entry covers a spec type: a family entry (`int`) covers its family
 * name and every type in it (`bigint`), any other entry the spec types it accepts (`decimal`
 * covers `decimal(12,2)`).
 */
export function typeListed(entry: string, specType: string): boolean {
  const spec = parseType(specType);
  const family = familyOf(spec);
  return family ? familyOf(parseType(entry)) === family : matches(parseType(entry), spec);
}
