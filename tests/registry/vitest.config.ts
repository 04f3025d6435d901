import shared, { reportSkippedServerTests } from "../../vitest.shared.ts";

reportSkippedServerTests({ server: true });
export default shared;
