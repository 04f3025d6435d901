import type { Column, TableSchema, TestObjectInfo } from "@assay/ports";
import type { Session } from "./connections.js";
import { harmoniseType } from "./harmonise.js";

/** A table or view found in the catalogue, with what COMPARE needs beyond the port's schema. */
export interface Relation {
  oid: number;
  kind: "table" | "view";
  columns: Array<Column & { notNull: boolean }>;
  primaryKeys: string[];
  /** Column sets of unique, non-partial indexes whose columns are all NOT NULL. */
  uniqueNotNull: string[][];
}

/** Tables and views of a schema; partitions are left out (their parent stands for them). */
export async function listRelations(session: Session, schema: string): Promise<TestObjectInfo[]> {
  const result = await session.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND NOT c.relispartition
      ORDER BY c.relname`,
    [schema],
  );
  return result.rows.map((r) => ({ name: r.name, kind: r.kind === "v" || r.kind === "m" ? "view" : "table" }));
}

/** Columns, keys and unique indexes of one relation, or null when there is none of that name. */
export async function describeRelation(session: Session, schema: string, name: string): Promise<Relation | null> {
  const found = await session.query<{ oid: number; kind: string }>(
    `SELECT c.oid::int8 AS oid, c.relkind AS kind FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`,
    [schema, name],
  );
  const row = found.rows[0];
  if (!row) return null;
  const oid = row.oid;
  const columns = await session.query<{ name: string; raw: string; notnull: boolean }>(
    `SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS raw, a.attnotnull AS notnull
       FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [oid],
  );
  const indexes = await session.query<{ primary: boolean; columns: string | null }>(
    // Key columns in index order; NULL for an index on an expression.
    `SELECT i.indisprimary AS primary,
            (SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE k.ord <= i.indnkeyatts) AS columns
       FROM pg_catalog.pg_index i
      WHERE i.indrelid = $1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indisvalid`,
    [oid],
  );
  const cols = columns.rows.map((c) => ({ name: c.name, rawType: c.raw, type: harmoniseType(c.raw), notNull: c.notnull }));
  const notNull = new Set(cols.filter((c) => c.notNull).map((c) => c.name));
  const split = (text: string | null): string[] => (text ? text.split("\u001f") : []);
  const primary = indexes.rows.find((i) => i.primary);
  return {
    oid,
    kind: row.kind === "v" || row.kind === "m" ? "view" : "table",
    columns: cols,
    primaryKeys: primary ? split(primary.columns) : [],
    uniqueNotNull: indexes.rows.map((i) => split(i.columns)).filter((set) => set.length > 0 && set.every((c) => notNull.has(c))),
  };
}

/** Partition key columns (expressions as PostgreSQL prints them) and the clustering index's columns. */
export async function layoutOf(session: Session, oid: number): Promise<Pick<TableSchema, "partitioning" | "clustering">> {
  const partition = await session.query<{ def: string | null; names: string | null }>(
    `SELECT pg_catalog.pg_get_partkeydef(pt.partrelid) AS def,
            (SELECT string_agg(coalesce(a.attname, ''), chr(31) ORDER BY k.ord) FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(attnum, ord)
               LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum) AS names
       FROM pg_catalog.pg_partitioned_table pt WHERE pt.partrelid = $1`,
    [oid],
  );
  const clustered = await session.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_catalog.pg_index i
       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisclustered AND k.ord <= i.indnkeyatts ORDER BY k.ord`,
    [oid],
  );
  const part = partition.rows[0];
  return {
    partitioning: part ? partitionColumns(part.names ?? "", part.def ?? "") : [],
    clustering: clustered.rows.map((r) => r.name),
  };
}

/** Column names of a partition key; an expression key takes its text from pg_get_partkeydef. */
function partitionColumns(names: string, definition: string): string[] {
  const items = splitTopLevel(/\((.*)\)\s*$/s.exec(definition)?.[1] ?? "");
  return names.split("\u001f").map((name, i) => name || (items[i] ?? "").trim());
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** Raw type names for result columns described by the server (type OID and modifier). */
export async function formatTypes(session: Session, fields: ReadonlyArray<{ dataTypeID: number; dataTypeModifier: number }>): Promise<string[]> {
  if (fields.length === 0) return [];
  const result = await session.query<{ raw: string }>(
    `SELECT pg_catalog.format_type(t.oid, t.mod) AS raw FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY t(oid, mod, ord) ORDER BY t.ord`,
    [fields.map((f) => f.dataTypeID), fields.map((f) => f.dataTypeModifier)],
  );
  return result.rows.map((r) => r.raw);
}
