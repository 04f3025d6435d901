// The one vitest set-up: every package's vitest.config.ts merges these defaults.
import { existsSync, readdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: these bounds catch hangs only, and CI runs every package's tests at once on two cores.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: process.env.CI ? ["default"] : ["default"],
    pool: "forks",
  },
});

/**
 * For packages with server tests: says, once per test run, which of them are skipped and why,
 * since vitest does not print the names (with their reasons) of suites it skipped.
 */
export function reportSkippedServerTests(needs: { server?: boolean; clusterBinaries?: boolean; mariadb?: boolean; clickhouse?: boolean }): void {
  if (needs.mariadb && !process.env.ASSAY_MARIADB_URL) {
    console.log(
      "MariaDB server tests: skipped, because ASSAY_MARIADB_URL is not set " +
        "(run with ASSAY_MARIADB_URL=mariadb://root@127.0.0.1:3306/test to include them).",
    );
  }
  if (needs.clickhouse && !process.env.ASSAY_CLICKHOUSE_URL) {
    console.log(
      "ClickHouse server tests: skipped, because ASSAY_CLICKHOUSE_URL is not set " +
        "(run with ASSAY_CLICKHOUSE_URL=http://default@127.0.0.1:8123 to include them; the embedded chDB tests run anyway).",
    );
  }
  if (needs.server && !process.env.ASSAY_PG_URL) {
    console.log(
      "PostgreSQL server tests: skipped, because ASSAY_PG_URL is not set " +
        "(run with ASSAY_PG_URL=postgres://postgres@127.0.0.1:5432/postgres to include them).",
    );
  }
  if (needs.clusterBinaries) {
    const root = "/usr/lib/postgresql";
    const found = existsSync(root) && readdirSync(root).some((v) => existsSync(`${root}/${v}/bin/initdb`));
    if (!found) console.log(`Throwaway PostgreSQL cluster tests: skipped, because no initdb was found under ${root}/*/bin.`);
  }
}
