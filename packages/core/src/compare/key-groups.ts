import { BackendError, type CellValue, type Row } from "@assay/ports";
import { compareCells } from "./cells.js";

/** All rows of one side that share a key: only the first row and the count are kept. */
export interface KeyGroup {
  key: CellValue[];
  first: Row;
  count: number;
}

export function compareKeys(a: readonly CellValue[], b: readonly CellValue[], numeric: readonly boolean[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareCells(a[i]!, b[i]!, numeric[i] ?? false);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Reads a key-ordered row stream one key group at a time, holding only the current group's
 * first row and one row of look-ahead: bounded memory whatever the table size. A row whose
 * key sorts before the previous one means the stream is not ordered as the merge needs; that
 * is refused loudly, because merging unordered input would report wrong differences.
 */
export class KeyGroupReader {
  readonly #rows: AsyncIterator<Row>;
  #lookahead: { row: Row; key: CellValue[] } | null = null;
  #done = false;
  #rowNumber = 0;
  #previous: CellValue[] | null = null;

  constructor(
    rows: AsyncIterable<Row>,
    private readonly side: "expected" | "actual",
    private readonly keys: readonly string[],
    private readonly numeric: readonly boolean[],
    private readonly keep: (key: CellValue[]) => boolean = () => true,
  ) {
    this.#rows = rows[Symbol.asyncIterator]();
  }

  /** Rows read so far (before sampling). */
  get rowsRead(): number {
    return this.#rowNumber;
  }

  async #pull(): Promise<{ row: Row; key: CellValue[] } | null> {
    for (;;) {
      if (this.#done) return null;
      const next = await this.#rows.next();
      if (next.done) {
        this.#done = true;
        return null;
      }
      const row = next.value;
      this.#rowNumber++;
      const key = this.keys.map((k) => {
        const value = row[k];
        if (value === undefined) {
          throw new BackendError("BACKEND_QUERY", `The ${this.side} rows have no key column "${k}" (row ${this.#rowNumber} has ${Object.keys(row).join(", ") || "no columns"})`, {
            expected: `every row to carry the key columns ${this.keys.join(", ")}`,
          });
        }
        return value;
      });
      if (this.#previous && compareKeys(key, this.#previous, this.numeric) < 0) {
        throw new BackendError(
          "BACKEND_QUERY",
          `The ${this.side} rows are not ordered by the key (${this.keys.join(", ")}): row ${this.#rowNumber} has key ${JSON.stringify(key)} after ${JSON.stringify(this.#previous)}, so a merge COMPARE would give wrong answers`,
          {
            expected: "rows sorted ascending by the key, NULLs first, numbers by value and strings in binary (code point) order",
            fix: "The backend's scan() must order with a binary collation (e.g. COLLATE \"C\"); report this to the backend plugin's author.",
          },
        );
      }
      this.#previous = key;
      if (this.keep(key)) return { row, key };
    }
  }

  /** The next key group, or null at the end. */
  async next(): Promise<KeyGroup | null> {
    const head = this.#lookahead ?? (await this.#pull());
    this.#lookahead = null;
    if (!head) return null;
    const group: KeyGroup = { key: head.key, first: head.row, count: 1 };
    for (;;) {
      const candidate = await this.#pull();
      if (!candidate) return group;
      if (compareKeys(candidate.key, group.key, this.numeric) !== 0) {
        this.#lookahead = candidate;
        return group;
      }
      group.count++;
    }
  }
}
