import shared, { reportSkippedServerTests } from "../../vitest.shared.ts";

reportSkippedServerTests({ mariadb: true });
export default shared;
