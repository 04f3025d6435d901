/**
 * The data every backend's contract run holds: one table, created by the adapter's own test
 * set-up (in its engine's SQL), which the suite then reads through the Backend port.
 */
export const CONTRACT_TABLE = {
  name: "assay_contract_orders",
  /** Harmonised types the backend must report. */
  columns: [
    { name: "id", type: "int" },
    { name: "region", type: "string" },
    { name: "amount", type: "decimal(12,2)" },
    { name: "ordered_on", type: "date" },
  ],
  primaryKeys: ["id"],
  rows: [
    { id: 1, region: "europe", amount: "10.50", ordered_on: "2024-01-01" },
    { id: 2, region: "asia", amount: "20.00", ordered_on: "2024-01-02" },
    { id: 3, region: null, amount: "30.25", ordered_on: "2024-01-03" },
    { id: 4, region: "europe", amount: "0.10", ordered_on: "2024-01-04" },
  ],
} as const;

/** Portable DDL and inserts for the fixture (works on DuckDB and PostgreSQL). */
export function contractTableSql(qualifiedName: string = CONTRACT_TABLE.name): string[] {
  return [
    `CREATE TABLE ${qualifiedName} (id INTEGER PRIMARY KEY, region VARCHAR, amount DECIMAL(12,2), ordered_on DATE)`,
    `INSERT INTO ${qualifiedName} VALUES ` +
      CONTRACT_TABLE.rows
        .map((r) => `(${r.id}, ${r.region === null ? "NULL" : `'${r.region}'`}, ${r.amount}, DATE '${r.ordered_on}')`)
        .join(", "),
  ];
}
