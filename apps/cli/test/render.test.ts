import { ConfigError, type Backend } from "@assay/ports";
import { Redactor, type TestCaseResult, type TestRun } from "@assay/core";
import { describe, expect, it } from "vitest";
import { redactingBackend } from "../src/project/redacting-backend.js";
import { colorsFor } from "../src/render/colors.js";
import { renderError } from "../src/render/error.js";
import { exitCodeOfRuns, renderRunSummary } from "../src/render/summary.js";
import { renderTable } from "../src/render/table.js";

describe("renderError", () => {
  const error = new ConfigError("CONFIG_INVALID", "Bad value", { where: { file: "assay.config.yaml", line: 3, column: 5, key: "run" }, expected: "a number", fix: "Fix it." });

  it("renders an AssayError as its paragraph with its exit code, stack only with --debug", () => {
    expect(renderError(error, false)).toEqual({
      text: "assay.config.yaml:3:5, key run: Bad value. Expected a number. Fix it. [CONFIG_INVALID]",
      exitCode: 2,
    });
    expect(renderError(error, true).text).toMatch(/\[CONFIG_INVALID\]\nConfigError: Bad value\n\s+at /);
  });

  it("renders anything else as one internal-error paragraph with exit 3", () => {
    const rendered = renderError(new TypeError("x is not a function"), false);
    expect(rendered.exitCode).toBe(3);
    expect(rendered.text).toBe("Internal error: x is not a function. Run the command again with --debug to see the stack trace, and report it. [INTERNAL]");
    expect(renderError("plain", false).text).toMatch(/^Internal error: plain\./);
  });

  it("shows the causes of an error with --debug", () => {
    const wrapped = new Error("outer", { cause: new Error("inner") });
    expect(renderError(wrapped, true).text).toMatch(/Caused by: Error: inner/);
  });
});

describe("renderTable", () => {
  it("aligns columns, ignoring colour codes", () => {
    const c = colorsFor({ isTTY: true } as NodeJS.WriteStream, true, {});
    const table = renderTable(["A", "B", "C"], [[c.green("OK"), "x", "last"], ["ERROR", "longer", "z"]]);
    const [open, close] = c.green("x").split("x") as [string, string];
    expect(open.length).toBeGreaterThan(0);
    expect(table.replaceAll(open, "").replaceAll(close, "")).toBe("A      B       C\nOK     x       last\nERROR  longer  z");
  });
});

describe("colours", () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  it("colour only on a TTY, without NO_COLOR and without --no-color", () => {
    expect(colorsFor(tty, true, {}).green("x")).not.toBe("x");
    expect(colorsFor(tty, true, { NO_COLOR: "1" }).green("x")).toBe("x");
    expect(colorsFor(tty, false, {}).green("x")).toBe("x");
    expect(colorsFor({ isTTY: false } as NodeJS.WriteStream, true, {}).green("x")).toBe("x");
  });
});

function run(overrides: Partial<TestRun> = {}): TestRun {
  return {
    id: "20260101T000000000Z-abcdef",
    testSet: { name: "Set", file: "testsets/set.yaml", labels: [] },
    domain: "d",
    stage: "s",
    instance: "i",
    status: "FINISHED",
    result: "OK",
    startedAt: "2026-01-01T00:00:00.000Z",
    endedAt: "2026-01-01T00:00:01.500Z",
    counts: { total: 1, ok: 1, nok: 0, na: 0, error: 0 },
    testcases: [],
    message: null,
    ...overrides,
  };
}

function result(overrides: Partial<TestCaseResult> = {}): TestCaseResult {
  return {
    id: "t_SCHEMA",
    runId: "r",
    object: "t",
    type: "SCHEMA",
    scenario: null,
    at: { domain: "d", stage: "s", instance: "i" },
    result: "OK",
    status: "FINISHED",
    summary: "fine",
    specs: [],
    facts: [],
    details: [],
    diff: {},
    startedAt: "2026-01-01T00:00:00.000Z",
    endedAt: null,
    durationMs: null,
    ...overrides,
  };
}

describe("run summaries and exit codes", () => {
  const plain = colorsFor({ isTTY: false } as NodeJS.WriteStream, true, {});

  it("prints one line per test case and the totals", () => {
    const text = renderRunSummary({ run: run(), results: [result({ scenario: "q4", summary: "line one\nline two" })] }, plain);
    expect(text).toBe(
      [
        "Set  d/s/i  OK (FINISHED, run 20260101T000000000Z-abcdef)",
        "  RESULT  OBJECT  TYPE    SCENARIO  REASON",
        "  OK      t       SCHEMA  q4        line one",
        "  1 test case: 1 OK, 0 NOK, 0 N/A, 0 ERROR in 1.5 s",
      ].join("\n"),
    );
  });

  it("0 all OK, 1 NOK or N/A or nothing run, 3 any ERROR", () => {
    expect(exitCodeOfRuns([{ run: run(), results: [result()] }])).toBe(0);
    expect(exitCodeOfRuns([{ run: run({ result: "NOK" }), results: [result({ result: "NOK" })] }])).toBe(1);
    expect(exitCodeOfRuns([{ run: run({ result: "N/A" }), results: [] }])).toBe(1);
    expect(exitCodeOfRuns([])).toBe(1);
    expect(exitCodeOfRuns([{ run: run({ result: "NOK" }), results: [result({ status: "ERROR", result: "N/A" })] }])).toBe(3);
    expect(exitCodeOfRuns([{ run: run({ status: "ERROR", result: "N/A" }), results: [] }])).toBe(3);
  });
});

describe("redactingBackend", () => {
  it("redacts the errors of calls, promises and streams, and passes results through", async () => {
    const redactor = new Redactor(["pw-123"]);
    const fail = (): never => {
      throw new Error("connect to postgres://u:pw-123@h failed");
    };
    const backend = redactingBackend(
      {
        capabilities: { primaryKeys: false, partitioning: false, clustering: false, compare: false, sampledCompare: false, orderedScan: false, latestLoad: false },
        listTestObjects: async () => [{ name: "t", kind: "table" }],
        countRows: async () => fail(),
        syncMethod: () => fail(),
        query: async function* () {
          yield { a: 1 };
          fail();
        },
      } as unknown as Backend,
      redactor,
    );
    expect(await backend.listTestObjects({ domain: "d", stage: "s", instance: "i" })).toEqual([{ name: "t", kind: "table" }]);
    await expect(backend.countRows({ domain: "d", stage: "s", instance: "i", name: "t" })).rejects.toThrow("connect to postgres://u:***@h failed");
    expect(() => (backend as unknown as { syncMethod(): unknown }).syncMethod()).toThrow("postgres://u:***@h");
    const rows: unknown[] = [];
    await expect(
      (async () => {
        for await (const row of backend.query("select", { domain: "d", stage: "s", instance: "i" })) rows.push(row);
      })(),
    ).rejects.toThrow("postgres://u:***@h");
    expect(rows).toEqual([{ a: 1 }]);
    expect(backend.capabilities.compare).toBe(false);
  });
});
