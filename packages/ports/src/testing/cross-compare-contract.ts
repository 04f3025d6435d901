import { afterAll, describe, expect, it } from "vitest";
import type { Backend, CompareRequest, CompareResult, ScanSource } from "../backend.js";
import type { CellValue, Coordinates } from "../values.js";
import { COMPARE_CASES } from "./compare-cases.js";
import { diffEntry } from "./compare-oracle.js";

/** One engine of a cross-engine COMPARE suite, holding every contract fixture (contractFixtureSql) at `at`. */
export interface CrossEngine {
  /** Its name in test titles, e.g. `duckdb` or `duckdb (second database)`. */
  name: string;
  /** The engine name the fixtures were loaded for (cases whose types exist elsewhere only are left out). */
  engine: string;
  at: Coordinates;
  create(): Promise<Backend>;
  /** Why this engine cannot run here (e.g. its server's URL is not set); its pairs are skipped, saying so. */
  skip?: string | false;
}

/** One side of a cross-engine COMPARE. */
export interface CrossSide {
  backend: Backend;
  at: Coordinates;
  source: ScanSource;
}

/** The cross-engine COMPARE under test (core's): the suite stays free of core. */
export type CrossCompare = (expected: CrossSide, actual: CrossSide, request: CompareRequest) => Promise<CompareResult>;

/**
 * A key value as text, the same for the port form (`17`, `"1.50"`, `true`) and the canonical
 * text a cross-engine diff may carry (`"17"`, `"1.5"`, `"1"`).
 */
function keyText(value: CellValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? "1" : "0";
  const text = String(value);
  if (/^-?\d+\.\d*$/.test(text)) return text.replace(/0+$/, "").replace(/\.$/, "");
  return text;
}

function counts(r: CompareResult) {
  const { expectedRows, actualRows, matchedRows, missingRows, extraRows, mismatchedRows, duplicateKeys } = r;
  return { expectedRows, actualRows, matchedRows, missingRows, extraRows, mismatchedRows, duplicateKeys };
}

/**
 * Every COMPARE case of the contract (COMPARE_CASES) with the expected query on one engine and
 * the test object on the other, for each ordered pair of `engines`: the counts, the mismatches
 * per column and the differing keys must be those of the in-engine COMPARE of the object's
 * engine, which holds the same fixtures.
 */
export function describeCrossEngineCompare(title: string, engines: readonly CrossEngine[], compare: CrossCompare): void {
  const opened = new Map<string, Promise<Backend>>();
  const backend = (engine: CrossEngine): Promise<Backend> => {
    let b = opened.get(engine.name);
    if (!b) opened.set(engine.name, (b = engine.create()));
    return b;
  };
  afterAll(async () => {
    for (const b of opened.values()) await (await b.catch(() => null))?.close();
  });
  for (const left of engines) {
    for (const right of engines) {
      if (left === right) continue;
      const skip = left.skip || right.skip;
      describe.skipIf(Boolean(skip))(`${title}: expected on ${left.name}, object on ${right.name}${skip ? ` (skipped: ${skip})` : ""}`, () => {
        for (const c of COMPARE_CASES) {
          const engines = c.actual.engines ?? c.expected.engines;
          const runs = !engines || (engines.includes(left.engine) && engines.includes(right.engine));
          it.runIf(runs)(c.name, async () => {
            const request: CompareRequest = {
              at: right.at,
              expectedSql: `SELECT * FROM ${c.expected.name}`,
              object: c.actual.name,
              keys: [...c.keys],
              columns: c.columns ? [...c.columns] : c.expected.columns.map((x) => x.name).filter((n) => !c.keys.includes(n)),
              ...(c.tolerance ? { tolerance: { default: c.tolerance.default ?? 0, columns: c.tolerance.columns ?? {} } } : {}),
              maxDiffRows: 10_000,
            };
            const [l, r] = await Promise.all([backend(left), backend(right)]);
            const crossed = await compare(
              { backend: l, at: left.at, source: { kind: "query", sql: request.expectedSql } },
              { backend: r, at: right.at, source: { kind: "object", name: c.actual.name } },
              request,
            );
            if (!r.compare) throw new Error(`${right.name} has no in-engine compare to check against`);
            const inEngine = await r.compare(request);
            expect(counts(crossed)).toEqual(counts(inEngine));
            expect(crossed.columns).toEqual(inEngine.columns);
            // In the in-engine COMPARE's order too: key order, whatever order the segments were read in.
            const entries = (x: CompareResult) =>
              x.diff.map((d) => diffEntry(d.kind, c.keys, Object.fromEntries(c.keys.map((k) => [k, keyText(d.key[k])])), d.kind === "duplicate" ? d.side : undefined));
            expect(entries(crossed)).toEqual(entries(inEngine));
            expect(crossed.truncated).toBe(false);
          });
        }
      });
    }
  }
}
