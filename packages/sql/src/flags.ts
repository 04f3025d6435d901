import type { Row } from "@assay/ports";

/** A result row with its mismatch flags (`m_c<i>`) as booleans, where the engine returns them as 0/1 (MariaDB, ClickHouse). */
export function booleanFlags(row: Row): Row {
  for (const key of Object.keys(row)) if (/^m_c\d+$/.test(key) && row[key] !== null) row[key] = Number(row[key]) !== 0;
  return row;
}
