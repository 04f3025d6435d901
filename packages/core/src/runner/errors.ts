import { isAssayError } from "@assay/ports";

/** One line for a summary: the AssayError paragraph, or the error's message. */
export function describeError(error: unknown): string {
  if (isAssayError(error)) return error.toParagraph();
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The reason a test case was stopped by its deadline. */
export class TestCaseTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = "TestCaseTimeout";
  }
}
