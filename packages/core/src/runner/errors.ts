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

/** The reason running test cases are stopped when the run is interrupted (Ctrl-C, SIGTERM). */
export class RunInterrupted extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = "RunInterrupted";
  }
}
