import type { TestObjectInfo } from "@assay/ports";
import { quoteIdent, topLevelItems, type FoundObject, type Introspector, type Session } from "@assay/sql";

const RELATIONS = `FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`;
const kindOf = (relkind: unknown): "table" | "view" => (relkind === "v" || relkind === "m" ? "view" : "table");

/** Key columns of unique, non-partial indexes (index order), NULL for an index on an expression. */
async function uniqueIndexes(session: Session, oid: number | string | undefined): Promise<Array<{ primary: boolean; columns: string[] }>> {
  const rows = await session.all(
    `SELECT i.indisprimary AS "primary",
            (SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE k.ord <= i.indnkeyatts) AS columns
       FROM pg_catalog.pg_index i
      WHERE i.indrelid = $1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indisvalid`,
    [oid ?? null],
  );
  return rows.map((r) => ({ primary: r.primary === true, columns: typeof r.columns === "string" && r.columns ? r.columns.split("\u001f") : [] }));
}

/**
 * What COMPARE's tuned plan needs beyond the port's schema: whether the keys are unique and NOT
 * NULL on the object (a primary key or unique index over them), and whether each is NOT NULL.
 */
export async function keyFacts(session: Session, object: FoundObject, keys: string[]): Promise<{ unique: boolean; notNull: boolean }> {
  const rows = await session.all(`SELECT attname AS name FROM pg_catalog.pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped AND attnotnull`, [object.id ?? null]);
  const notNull = new Set(rows.map((r) => String(r.name)));
  const unique = (await uniqueIndexes(session, object.id)).some((i) => i.columns.length > 0 && i.columns.every((c) => notNull.has(c) && keys.includes(c)));
  return { unique, notNull: keys.every((k) => notNull.has(k)) };
}

/**
 * latestLoad's plan. Without an index leading on the timestamp (it would find the newest load at
 * once): a guess from the last 8 pages of a plain table (a TID range scan, PostgreSQL 14 and
 * later), and one grouped read when the statistics give few distinct timestamps (one per load).
 */
export async function latestLoadPlan(session: Session, object: FoundObject, column: string): Promise<{ grouped: boolean; tail: string | null }> {
  const rows = await session.all(
    `SELECT EXISTS (SELECT FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                     WHERE i.indrelid = c.oid AND a.attname = $2) AS indexed,
            (SELECT CASE WHEN s.n_distinct >= 0 THEN s.n_distinct ELSE -s.n_distinct * greatest(c.reltuples, 0) END
               FROM pg_catalog.pg_stats s WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = $2) AS loads,
            CASE WHEN c.relkind = 'r' AND current_setting('server_version_num')::int >= 140000
              THEN greatest(pg_catalog.pg_relation_size(c.oid) / current_setting('block_size')::int - 8, 0) END AS tail
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1`,
    [object.id ?? null, column],
  );
  const row = rows[0];
  if (row?.indexed !== false) return { grouped: false, tail: null };
  return { grouped: row.loads !== null && Number(row.loads) <= 10_000, tail: row.tail === null ? null : `ctid >= '(${Number(row.tail)},0)'::tid` };
}

/** Column names of a partition key; an expression key takes its text from pg_get_partkeydef. */
function partitionColumns(names: string, definition: string): string[] {
  const items = topLevelItems(/\((.*)\)\s*$/s.exec(definition)?.[1] ?? "");
  return names.split("\u001f").map((name, i) => name || (items[i] ?? ""));
}

/** pg_catalog instead of information_schema: partitions left out, type modifiers, partitioning and clustering. */
export const postgresIntrospector: Partial<Introspector> = {
  async list(session, at) {
    const rows = await session.all(`SELECT c.relname AS name, c.relkind AS kind ${RELATIONS} AND NOT c.relispartition`, [at.schema]);
    return rows.map((r): TestObjectInfo => ({ name: String(r.name), kind: kindOf(r.kind) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },
  async find(session, at, name) {
    const row = (await session.all(`SELECT c.oid::int8 AS oid, c.relkind AS kind ${RELATIONS} AND c.relname = $2`, [at.schema, name]))[0];
    return row ? { name, kind: kindOf(row.kind), sql: `${quoteIdent(at.schema)}.${quoteIdent(name)}`, id: Number(row.oid) } : null;
  },
  async columns(session, _at, object) {
    const rows = await session.all(
      `SELECT attname AS name, pg_catalog.format_type(atttypid, atttypmod) AS raw FROM pg_catalog.pg_attribute
        WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [object.id ?? null],
    );
    return rows.map((r) => ({ name: String(r.name), nativeType: String(r.raw) }));
  },
  async primaryKeys(session, _at, object) {
    return (await uniqueIndexes(session, object.id)).find((i) => i.primary)?.columns ?? [];
  },
  async layout(session, _at, object) {
    if (object.kind === "view") return { partitioning: [], clustering: [] };
    const part = (await session.all(
      `SELECT pg_catalog.pg_get_partkeydef(pt.partrelid) AS def,
              (SELECT string_agg(coalesce(a.attname, ''), chr(31) ORDER BY k.ord) FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(attnum, ord)
                 LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum) AS names
         FROM pg_catalog.pg_partitioned_table pt WHERE pt.partrelid = $1`,
      [object.id ?? null],
    ))[0];
    const clustered = await session.all(
      `SELECT a.attname AS name FROM pg_catalog.pg_index i
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = $1 AND i.indisclustered AND k.ord <= i.indnkeyatts ORDER BY k.ord`,
      [object.id ?? null],
    );
    return {
      partitioning: part ? partitionColumns(String(part.names ?? ""), String(part.def ?? "")) : [],
      clustering: clustered.map((r) => String(r.name)),
    };
  },
};
