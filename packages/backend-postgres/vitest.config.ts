import shared, { reportSkippedServerTests } from "../../vitest.shared.ts";

reportSkippedServerTests({ server: true, clusterBinaries: true });
export default shared;
