import shared, { reportSkippedServerTests } from "../../vitest.shared.ts";

reportSkippedServerTests({ clickhouse: true });
export default shared;
