import type { TestObjectInfo } from "@assay/ports";
import type { NativeColumn, Session, SessionTarget } from "./driver.js";
import type { Dialect } from "./dialect.js";

/** A table or view found at a target. `sql` is its qualified name; `id` an engine handle (e.g. an OID). */
export interface FoundObject {
  name: string;
  kind: "table" | "view";
  sql: string;
  id?: number | string;
}

/**
 * Catalogue reads. The default reads information_schema (SQL standard; DuckDB answers it in
 * full); a dialect overrides what its engine reports better elsewhere (PostgreSQL: pg_catalog,
 * for partitions, clustering and type modifiers).
 */
export interface Introspector {
  /** Tables and views, in code-point order of name. */
  list(session: Session, at: SessionTarget): Promise<TestObjectInfo[]>;
  /** The object of exactly that name, else (dialects that fold names) the only case-insensitive match. */
  find(session: Session, at: SessionTarget, name: string, exact: boolean): Promise<FoundObject | null>;
  columns(session: Session, at: SessionTarget, object: FoundObject): Promise<NativeColumn[]>;
  primaryKeys(session: Session, at: SessionTarget, object: FoundObject): Promise<string[]>;
  /** Partition and clustering columns; absent: the engine has neither (capabilities false). */
  layout?(session: Session, at: SessionTarget, object: FoundObject): Promise<{ partitioning: string[]; clustering: string[] }>;
}

/** Objects in name order (code points), as every introspector lists them. */
export const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function createIntrospector(dialect: Dialect): Introspector {
  const p = (i: number): string => dialect.param(i);
  const tables = `FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = ${p(1)}`;
  const defaults: Introspector = {
    async list(session, at) {
      const rows = await session.all(`SELECT table_name AS name, table_type AS type ${tables}`, [at.schema]);
      return rows.map((r): TestObjectInfo => ({ name: String(r.name), kind: r.type === "VIEW" ? "view" : "table" })).sort(byName);
    },
    async find(session, at, name, exact) {
      const match = exact || !dialect.foldsObjectNames ? `table_name = ${p(2)}` : `lower(table_name) = lower(${p(2)})`;
      const rows = await session.all(`SELECT table_catalog AS catalog, table_name AS name, table_type AS type ${tables} AND ${match}`, [at.schema, name]);
      const found = rows.find((r) => r.name === name) ?? (rows.length === 1 ? rows[0] : undefined);
      if (!found) return null;
      const real = String(found.name);
      return { name: real, kind: found.type === "VIEW" ? "view" : "table", sql: dialect.qualify({ catalog: String(found.catalog), schema: at.schema, name: real }) };
    },
    async columns(session, at, object) {
      const rows = await session.all(
        `SELECT column_name AS name, data_type AS type FROM information_schema.columns
          WHERE table_catalog = current_database() AND table_schema = ${p(1)} AND table_name = ${p(2)} ORDER BY ordinal_position`,
        [at.schema, object.name],
      );
      return rows.map((r) => ({ name: String(r.name), nativeType: String(r.type) }));
    },
    async primaryKeys(session, at, object) {
      const rows = await session.all(
        `SELECT k.column_name AS name FROM information_schema.table_constraints c
           JOIN information_schema.key_column_usage k
             ON k.constraint_catalog = c.constraint_catalog AND k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
          WHERE c.table_catalog = current_database() AND c.table_schema = ${p(1)} AND c.table_name = ${p(2)} AND c.constraint_type = 'PRIMARY KEY'
          ORDER BY k.ordinal_position`,
        [at.schema, object.name],
      );
      return rows.map((r) => String(r.name));
    },
  };
  return { ...defaults, ...dialect.introspector };
}
