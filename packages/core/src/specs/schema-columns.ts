import { ConfigError } from "@assay/ports";
import type { SchemaSpec } from "../model.js";
import type { SpecOrigin } from "./spec-base.js";

/** One column of a schema spec as every format (YAML, CSV, xlsx) describes it. */
export interface SchemaColumnRow {
  name: string;
  type: string | null;
  pk: boolean;
  partition: boolean;
  cluster: boolean;
  /** 1-based line or row number, for messages. */
  line?: number;
}

export interface SchemaLists {
  primaryKeys?: string[];
  partitioning?: string[];
  clustering?: string[];
}

/**
 * Builds the schema spec. A list (primary keys, partitioning, clustering) is null when the
 * spec does not name it at all, so SCHEMA compares only what the spec states; a flag column
 * that exists but marks nothing states "none" ([]).
 */
export function buildSchemaSpec(
  origin: SpecOrigin,
  rows: SchemaColumnRow[],
  flagsStated: { pk: boolean; partition: boolean; cluster: boolean },
  lists: SchemaLists = {},
): SchemaSpec {
  const seen = new Map<string, SchemaColumnRow>();
  for (const row of rows) {
    const earlier = seen.get(row.name.toLowerCase());
    if (earlier) {
      throw new ConfigError("SPEC_INVALID", `Column "${row.name}" is listed twice${earlier.line ? ` (also at line ${earlier.line})` : ""}`, {
        where: { file: origin.path, line: row.line },
        expected: "each column once",
        fix: "Remove one of the two entries.",
      });
    }
    seen.set(row.name.toLowerCase(), row);
  }
  if (rows.length === 0) {
    throw new ConfigError("SPEC_INVALID", "The schema spec lists no columns", {
      where: { file: origin.path },
      expected: "at least one column",
      fix: "Add the table's columns, one per row.",
    });
  }
  const flagged = (flag: "pk" | "partition" | "cluster", stated: boolean, list?: string[]) =>
    list ?? (stated ? rows.filter((r) => r[flag]).map((r) => r.name) : null);
  return {
    type: "schema",
    ...origin,
    error: null,
    columns: rows.map((r) => ({ name: r.name, type: r.type })),
    primaryKeys: flagged("pk", flagsStated.pk, lists.primaryKeys),
    partitioning: flagged("partition", flagsStated.partition, lists.partitioning),
    clustering: flagged("cluster", flagsStated.cluster, lists.clustering),
  };
}
