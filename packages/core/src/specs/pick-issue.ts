import type { z } from "zod";

/**
 * The zod issue to show first: a misspelt key (unrecognized) explains the "missing" key
 * reported beside it, so it wins; otherwise the first issue.
 */
export function pickIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  return issues.find((i) => i.code === "unrecognized_keys") ?? issues[0]!;
}
