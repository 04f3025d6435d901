import type { Domain } from "./plan.js";

/**
 * The demo's test sets and the result every one of their test cases gives. Each planted defect
 * is caught by exactly one kind of test case; everything else is OK. The CLI's end-to-end tests
 * run assay over the demo and compare with DEMO_EXPECTATIONS, so this table is exact.
 */

export type DemoResult = "OK" | "NOK" | "N/A";

/** The expected result of one test case of one demo test set. */
export interface DemoExpectation {
  /** Test set name (its `name:` field). */
  testSet: string;
  object: string;
  /** Upper-case test type: SCHEMA, ROWCOUNT, COMPARE, STAGECOUNT. */
  type: string;
  scenario: string | null;
  result: DemoResult;
}

export interface DemoTestCase {
  object: string;
  type: "schema" | "rowcount" | "compare" | "stagecount";
  scenario?: string;
  expect: DemoResult;
  /** Why it is not OK: the planted defect it catches. */
  reason?: Defect;
}

export interface DemoTestSet {
  /** File name under testsets/. */
  file: string;
  name: string;
  domain: Domain;
  stage: string;
  instance: string;
  labels: string[];
  /** What the set checks and what it should find (written as a comment into the file). */
  comment: string;
  testcases: DemoTestCase[];
}

export interface Defect {
  number: number;
  /** A few words, for tables. */
  short: string;
  /** The full story: where, what, and what catches it. */
  text: string;
}

/** The planted defects, as the READMEs and the test set comments describe them. */
export const DEFECTS = {
  halfLoad: {
    number: 1,
    short: "half-loaded raw file",
    text: "payments/test/alpha loaded only the first half of transactions_2024-01-02.csv into stage_transactions (its newest load), so the stage table holds 500 rows per 1000 in the raw file.",
  },
  droppedRegion: {
    number: 2,
    short: "core load drops region africa",
    text: "the sales/test/main core load dropped every transaction of region 'africa', so core_customer_transactions misses those rows.",
  },
  typeDrift: {
    number: 3,
    short: "transaction_date drifted to VARCHAR",
    text: "payments/uat/main stores core_account_payments.transaction_date as VARCHAR (string) while the spec says date.",
  },
  wrongAggregate: {
    number: 4,
    short: "one wrong mart total",
    text: "payments/test/beta's mart_account_payments_by_date has total_amount 100.00 too high for the smallest account_id.",
  },
} as const satisfies Record<string, Defect>;

export function describeDefect(defect: Defect): string {
  return `Defect ${defect.number} (${defect.short}): ${defect.text}`;
}

const ok = (object: string, type: DemoTestCase["type"], scenario?: string): DemoTestCase =>
  scenario === undefined ? { object, type, expect: "OK" } : { object, type, scenario, expect: "OK" };
const nok = (object: string, type: DemoTestCase["type"], reason: Defect): DemoTestCase => ({ object, type, expect: "NOK", reason });

const paymentsStage = (transactionsStagecount: DemoTestCase = ok("stage_transactions", "stagecount")): DemoTestCase[] => [
  ok("stage_accounts", "schema"),
  ok("stage_accounts", "stagecount"),
  ok("stage_transactions", "schema"),
  transactionsStagecount,
];

const halfLoaded = nok("stage_transactions", "stagecount", DEFECTS.halfLoad);

export const DEMO_TEST_SETS: DemoTestSet[] = [
  {
    file: "payments-partial.yaml",
    name: "Payments Partial",
    domain: "payments",
    stage: "test",
    instance: "alpha",
    labels: ["regression", "payments"],
    comment: `Stage and core checks at payments/test/alpha.\nExpected: NOK, from stage_transactions STAGECOUNT only.\n${describeDefect(DEFECTS.halfLoad)}`,
    testcases: [...paymentsStage(halfLoaded), ok("core_account_payments", "rowcount"), ok("core_account_payments", "compare")],
  },
  {
    file: "payments-full.yaml",
    name: "Payments Full",
    domain: "payments",
    stage: "test",
    instance: "alpha",
    labels: ["full", "payments"],
    comment:
      `Every check of every layer at payments/test/alpha, including the mart COMPARE computed straight\n` +
      `from stage (scenario from_stage).\nExpected: NOK, from stage_transactions STAGECOUNT only.\n${describeDefect(DEFECTS.halfLoad)}\n` +
      `Core and mart are built from what was staged, so they agree with their specs.`,
    testcases: [
      ...paymentsStage(halfLoaded),
      ok("core_account_payments", "schema"),
      ok("core_account_payments", "rowcount"),
      ok("core_account_payments", "compare"),
      ok("mart_account_payments_by_date", "schema"),
      ok("mart_account_payments_by_date", "rowcount"),
      ok("mart_account_payments_by_date", "compare"),
      ok("mart_account_payments_by_date", "compare", "from_stage"),
    ],
  },
  {
    file: "payments-smoke.yaml",
    name: "Payments Smoke",
    domain: "payments",
    stage: "test",
    instance: "beta",
    labels: ["smoke", "payments"],
    comment: "Structure and counts at payments/test/beta.\nExpected: OK, every test case.",
    testcases: [
      ...paymentsStage(),
      ok("core_account_payments", "schema"),
      ok("core_account_payments", "rowcount"),
      ok("core_account_payments", "compare"),
      ok("mart_account_payments_by_date", "schema"),
      ok("mart_account_payments_by_date", "rowcount"),
    ],
  },
  {
    file: "payments-mart.yaml",
    name: "Payments Mart",
    domain: "payments",
    stage: "test",
    instance: "beta",
    labels: ["regression", "mart"],
    comment: `The mart at payments/test/beta.\nExpected: NOK, from mart_account_payments_by_date COMPARE only.\n${describeDefect(DEFECTS.wrongAggregate)}`,
    testcases: [
      ok("mart_account_payments_by_date", "schema"),
      ok("mart_account_payments_by_date", "rowcount"),
      nok("mart_account_payments_by_date", "compare", DEFECTS.wrongAggregate),
    ],
  },
  {
    file: "payments-uat.yaml",
    name: "Payments UAT",
    domain: "payments",
    stage: "uat",
    instance: "main",
    labels: ["uat", "payments"],
    comment:
      `Stage and core at payments/uat/main.\nExpected: NOK, from core_account_payments SCHEMA only.\n${describeDefect(DEFECTS.typeDrift)}\n` +
      `The uat COMPARE spec leaves transaction_date out (SCHEMA owns it), so COMPARE is OK.`,
    testcases: [
      ...paymentsStage(),
      nok("core_account_payments", "schema", DEFECTS.typeDrift),
      ok("core_account_payments", "rowcount"),
      ok("core_account_payments", "compare"),
    ],
  },
  {
    file: "sales-validation.yaml",
    name: "Sales Validation",
    domain: "sales",
    stage: "test",
    instance: "main",
    labels: ["regression", "sales"],
    comment: `Stage and core at sales/test/main.\nExpected: NOK, from core_customer_transactions COMPARE only.\n${describeDefect(DEFECTS.droppedRegion)}`,
    testcases: [
      ok("stage_customers", "schema"),
      ok("stage_customers", "stagecount"),
      ok("stage_transactions", "schema"),
      ok("stage_transactions", "stagecount"),
      nok("core_customer_transactions", "compare", DEFECTS.droppedRegion),
    ],
  },
  {
    file: "sales-full.yaml",
    name: "Sales Full",
    domain: "sales",
    stage: "test",
    instance: "main",
    labels: ["full", "sales"],
    comment:
      `Every check of every layer at sales/test/main.\nExpected: NOK, from core_customer_transactions COMPARE only.\n${describeDefect(DEFECTS.droppedRegion)}\n` +
      "The mart is aggregated from core, so its COMPARE against core is OK (within the total_revenue tolerance).\n" +
      "stage_transactions' newest load holds two files; STAGECOUNT counts each against its raw file.",
    testcases: [
      ok("stage_customers", "schema"),
      ok("stage_customers", "stagecount"),
      ok("stage_transactions", "schema"),
      ok("stage_transactions", "stagecount"),
      ok("core_customer_transactions", "schema"),
      nok("core_customer_transactions", "compare", DEFECTS.droppedRegion),
      ok("mart_customer_revenues_by_date", "schema"),
      ok("mart_customer_revenues_by_date", "rowcount"),
      ok("mart_customer_revenues_by_date", "compare"),
    ],
  },
];

/** Every test case of every demo test set with the result it gives, in test set and file order. */
export const DEMO_EXPECTATIONS: readonly DemoExpectation[] = Object.freeze(
  DEMO_TEST_SETS.flatMap((set) =>
    set.testcases.map((tc) =>
      Object.freeze({
        testSet: set.name,
        object: tc.object,
        type: tc.type.toUpperCase(),
        scenario: tc.scenario ?? null,
        result: tc.expect,
      }),
    ),
  ),
);

/** Splits a line at spaces so that no piece is longer than `width` (unless one word is). */
function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const word of line.split(" ")) {
    if (current && current.length + 1 + word.length > width) {
      out.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  out.push(current);
  return out;
}

/** The test set file, as written into testsets/. */
export function testSetYaml(set: DemoTestSet): string {
  const lines = set.comment.split("\n").flatMap((l) => wrap(l, 98).map((w) => `# ${w}`.trimEnd()));
  lines.push(
    `name: ${set.name}`,
    `domain: ${set.domain}`,
    `stage: ${set.stage}`,
    `instance: ${set.instance}`,
    `labels: [${set.labels.join(", ")}]`,
    "testcases:",
  );
  for (const tc of set.testcases) {
    const scenario = tc.scenario ? `, scenario: ${tc.scenario}` : "";
    lines.push(`  - { object: ${tc.object}, type: ${tc.type}${scenario} }`);
  }
  return `${lines.join("\n")}\n`;
}
