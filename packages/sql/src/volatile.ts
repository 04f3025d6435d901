import type { Session } from "./driver.js";

/**
 * Functions of the kit's engines whose value changes between two readings of one query: random
 * numbers, the clock, ids, sequences (and MariaDB's user variables, `@`). A plan that reads the
 * expected query more than once must not read such a query so: its counts and diff would come
 * from different rows. Words are matched anywhere (a column named `now` too): a false alarm
 * only costs the plan that reads the query once.
 */
const VOLATILE = /\b(rand|random|randCanonical|random_bytes|gen_random_uuid|uuid|uuid_short|generateUUIDv4|sys_guid|sysdate|now|now64|curdate|curtime|current_(date|time|timestamp)|localtime|localtimestamp|unix_timestamp|utc_(date|time|timestamp)|clock_timestamp|statement_timestamp|timeofday|nextval|lastval|setval|next\s+value|connection_id|last_insert_id|found_rows|row_count|sleep|benchmark|get_lock)\b|@/i;

/**
 * Whether `sql` may give other rows when read again: it names a volatile function, or calls a
 * stored function (information_schema.routines; its DETERMINISTIC is only declared).
 */
export async function volatileQuery(session: Session, sql: string): Promise<boolean> {
  if (VOLATILE.test(sql)) return true;
  const calls = new Set([...sql.matchAll(/([A-Za-z_$][\w$]*)[`"]?\s*\(/g)].map((m) => m[1]!.toLowerCase()));
  const functions = await session.all("SELECT DISTINCT lower(routine_name) AS n FROM information_schema.routines WHERE routine_type = 'FUNCTION'");
  return functions.some((f) => calls.has(String(f.n)));
}

/** Rows of an async iterable in arrays of `size`, each converted. */
export async function* inBatches<T, R>(rows: AsyncIterable<T>, size: number, convert: (row: T) => R): AsyncGenerator<R[]> {
  const batch: R[] = [];
  for await (const row of rows) if (batch.push(convert(row)) >= size) yield batch.splice(0);
  if (batch.length > 0) yield batch;
}
