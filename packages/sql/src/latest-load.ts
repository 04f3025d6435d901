import type { CellValue, LatestLoad, LoadColumns, Row } from "@assay/ports";
import { castTo, countWhere, equalNullSafe, quoteIdent, type Dialect } from "./dialect.js";
import type { Param, Session } from "./driver.js";
import type { FoundObject } from "./introspector.js";

/**
 * The files of a stage table's newest load with their row counts, in code-point order of path,
 * by the plan the engine runs cheapest (Dialect.latestLoadPlan): a guess from the table's last
 * rows checked by one filtered count, one grouped read, a check for one file by plain aggregates
 * before any grouping by file (sameText), or else the newest time, then that load's rows grouped
 * by file.
 */
export async function readLatestLoad(s: Session, dialect: Dialect, found: FoundObject, load: LoadColumns): Promise<LatestLoad> {
  const ts = quoteIdent(load.timestamp);
  const file = quoteIdent(load.file);
  const text = castTo(dialect, file, { kind: "text" });
  // Paths are grouped byte for byte: 'a.csv' and 'A.csv' or 'a.csv ' are different files.
  const path = dialect.exactText ? dialect.exactText(text, "string") : text;
  const newest = `(SELECT max(${ts}) FROM ${found.sql})`;
  const byFile = (time: string, params: Param[] = []): Promise<Row[]> =>
    s.all(`SELECT ${path} AS path, count(*) AS n, max(${ts}) AS loaded_at FROM ${found.sql}
      WHERE ${ts} = ${time} GROUP BY ${path} ORDER BY ${dialect.orderTerm(path, "string")}`, params);
  // A load's rows found by its time as read: a time matches by value, so they come all or none;
  // where the value read back is not the stored one (a FLOAT read as its shortest decimal) or
  // compares loosely, the total (`n`, the load's rows as counted) or a group's time shows it: null.
  const filesAt = async (time: CellValue, n: number): Promise<LatestLoad | null> => {
    const rows = await byFile(dialect.param(1), [time]);
    const exact = rows.reduce((sum, r) => sum + Number(r.n), 0) === n && rows.every((r) => String(r.loaded_at) === String(time));
    return exact ? answer(rows) : null;
  };

  const plan = (await dialect.latestLoadPlan?.(s, found, load.timestamp)) ?? {};
  if (plan.tail) {
    // The newest load as the last rows tell it, checked: nothing newer anywhere, and how many rows
    // it has and of which files.
    const guess = (await s.all(`SELECT ${ts} AS loaded_at, ${path} AS path FROM ${found.sql} WHERE ${plan.tail} ORDER BY ${ts} DESC NULLS LAST LIMIT 1`))[0];
    if (guess && guess.loaded_at !== null && guess.loaded_at !== undefined) {
      const others = `NOT (${equalNullSafe(dialect, path, dialect.param(2))})`;
      const [check] = await s.all(
        `SELECT count(*) AS n, ${countWhere(dialect, `${ts} > ${dialect.param(1)}`)} AS newer, ${countWhere(dialect, others)} AS others FROM ${found.sql} WHERE ${ts} >= ${dialect.param(3)}`,
        [guess.loaded_at, guess.path ?? null, guess.loaded_at],
      );
      const n = Number(check?.n ?? 0);
      if (n > 0 && Number(check?.newer) === 0) {
        if (Number(check?.others) === 0) return answer([{ path: guess.path ?? null, n, loaded_at: guess.loaded_at }]);
        const files = await filesAt(guess.loaded_at, n);
        if (files) return files;
      }
    }
  }
  if (plan.grouped === true) {
    return answer(await s.all(`WITH __assay_loads AS MATERIALIZED (SELECT ${ts} AS loaded_at, ${path} AS path, count(*) AS n FROM ${found.sql} GROUP BY ${ts}, ${path})
      SELECT path, n, loaded_at FROM __assay_loads WHERE loaded_at = (SELECT max(loaded_at) FROM __assay_loads) ORDER BY ${dialect.orderTerm("path", "string")}`));
  }
  if (!dialect.sameText) return answer(await byFile(newest));

  const one = (await s.all(`SELECT count(*) AS n, count(${file}) AS named, ${castTo(dialect, `min(${file})`, { kind: "text" })} AS path,
      ${dialect.sameText(file)} AS same, max(${ts}) AS loaded_at FROM ${found.sql} WHERE ${ts} = ${newest}`))[0] ?? {};
  const n = Number(one.n ?? 0);
  const named = Number(one.named ?? 0);
  if (n === 0) return { loadedAt: null, files: [] };
  // Rows of one file, or rows that name no file: their count is the answer, with no grouping.
  if (named === 0 || (named === n && Number(one.same) === 1)) return answer([{ path: named === 0 ? null : (one.path ?? null), n, loaded_at: one.loaded_at ?? null }]);
  // Several files: found by the load's time as read, a scan fewer than the subquery, which decides where that fails.
  return (await filesAt(one.loaded_at ?? null, n)) ?? answer(await byFile(newest));
}

function answer(rows: Row[]): LatestLoad {
  const first = rows[0]?.loaded_at;
  return {
    loadedAt: first === undefined || first === null ? null : String(first),
    files: rows.map((r) => ({ path: r.path === null ? "" : String(r.path), rows: Number(r.n) })),
  };
}
