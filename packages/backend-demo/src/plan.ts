import type { RawFolder } from "./tables.js";

/**
 * What the demo warehouse holds: the source files (reference data set of the Python tool,
 * section 6, multiplied by the scale), which instance loads which file when, and the four
 * planted defects.
 */

export interface SourceFile {
  key: string;
  folder: RawFolder;
  /** File name inside the raw folder. */
  file: string;
  /** The business date every row carries (daily snapshots and daily transactions). */
  date: string;
  /** Rows at scale 1. */
  rows: number;
  /** First id minus one (transactions of day two continue the numbering). */
  idOffset: number;
  /** Highest customer id / account id a row may reference, at scale 1. */
  customers?: number;
  accounts?: number;
}

export const SOURCE_FILES: SourceFile[] = [
  { key: "customers_1", folder: "customers", file: "customers_2024-01-01.csv", date: "2024-01-01", rows: 100, idOffset: 0 },
  { key: "customers_2", folder: "customers", file: "customers_2024-01-02.csv", date: "2024-01-02", rows: 105, idOffset: 0 },
  { key: "accounts_1", folder: "accounts", file: "accounts_2024-01-01.csv", date: "2024-01-01", rows: 200, idOffset: 0, customers: 100 },
  { key: "accounts_2", folder: "accounts", file: "accounts_2024-01-02.csv", date: "2024-01-02", rows: 210, idOffset: 0, customers: 105 },
  {
    key: "transactions_1",
    folder: "transactions",
    file: "transactions_2024-01-01.csv",
    date: "2024-01-01",
    rows: 1000,
    idOffset: 0,
    customers: 100,
    accounts: 200,
  },
  {
    key: "transactions_2",
    folder: "transactions",
    file: "transactions_2024-01-02.csv",
    date: "2024-01-02",
    rows: 1000,
    idOffset: 1000,
    customers: 105,
    accounts: 210,
  },
];

export function sourceFile(key: string): SourceFile {
  const found = SOURCE_FILES.find((f) => f.key === key);
  if (!found) throw new Error(`unknown demo source file ${key}`);
  return found;
}

export interface Load {
  table: `stage_${RawFolder}`;
  /** Several files in one load share one m__ts. */
  files: string[];
  /** Defect 1: only this fraction of the file's rows reaches the stage table. */
  fraction?: number;
}

export type Domain = "payments" | "sales";

export interface InstancePlan {
  domain: Domain;
  stage: string;
  instance: string;
  loads: Load[];
  mart: boolean;
  /** Defect 3: core_account_payments.transaction_date stored as VARCHAR. */
  coreDateAsText?: boolean;
  /** Defect 2: the core load drops this region's rows. */
  coreDropsRegion?: string;
  /** Defect 4: the mart row of the smallest account_id gets this much added to total_amount. */
  martTotalOffBy?: number;
}

export const INSTANCES: InstancePlan[] = [
  {
    domain: "payments",
    stage: "test",
    instance: "alpha",
    loads: [
      { table: "stage_accounts", files: ["accounts_1"] },
      { table: "stage_transactions", files: ["transactions_1"] },
      { table: "stage_accounts", files: ["accounts_2"] },
      { table: "stage_transactions", files: ["transactions_2"], fraction: 0.5 },
    ],
    mart: true,
  },
  {
    domain: "payments",
    stage: "test",
    instance: "beta",
    loads: [
      { table: "stage_accounts", files: ["accounts_1"] },
      { table: "stage_transactions", files: ["transactions_1"] },
    ],
    mart: true,
    martTotalOffBy: 100,
  },
  {
    domain: "payments",
    stage: "uat",
    instance: "main",
    loads: [
      { table: "stage_accounts", files: ["accounts_1"] },
      { table: "stage_transactions", files: ["transactions_1"] },
    ],
    mart: false,
    coreDateAsText: true,
  },
  {
    domain: "sales",
    stage: "test",
    instance: "main",
    loads: [
      { table: "stage_customers", files: ["customers_1"] },
      { table: "stage_customers", files: ["customers_2"] },
      { table: "stage_transactions", files: ["transactions_1", "transactions_2"] },
    ],
    mart: true,
    coreDropsRegion: "africa",
  },
];

/** The domains and their stages → instances, in config order. */
export const DOMAINS: Record<Domain, Record<string, string[]>> = {
  payments: { test: ["alpha", "beta"], uat: ["main"] },
  sales: { test: ["main"] },
};

/** One warehouse (DuckDB file or PostgreSQL database) per domain and stage. */
export function warehouses(): { domain: Domain; stage: string; instances: InstancePlan[] }[] {
  const out: { domain: Domain; stage: string; instances: InstancePlan[] }[] = [];
  for (const [domain, stages] of Object.entries(DOMAINS) as [Domain, Record<string, string[]>][]) {
    for (const stage of Object.keys(stages)) {
      out.push({ domain, stage, instances: INSTANCES.filter((i) => i.domain === domain && i.stage === stage) });
    }
  }
  return out;
}

/** m__ts of the n-th load over the whole plan (0-based): 2024-01-15 10:MM:00. */
export function loadTimestamp(n: number): string {
  return `2024-01-15 10:${String(n).padStart(2, "0")}:00`;
}

/** Raw folder of an instance, relative to the project root ('/' separators). */
export function rawRoot(plan: { domain: string; stage: string; instance: string }): string {
  return `raw/${plan.domain}/${plan.stage}/${plan.instance}`;
}

/** The loads of the whole plan with their global sequence number (which fixes m__ts). */
export function numberedLoads(): { plan: InstancePlan; load: Load; ts: string }[] {
  const out: { plan: InstancePlan; load: Load; ts: string }[] = [];
  for (const plan of INSTANCES) for (const load of plan.loads) out.push({ plan, load, ts: loadTimestamp(out.length) });
  return out;
}
