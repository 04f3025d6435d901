import type { AssayError } from "@assay/ports";

/** The error a promise rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<AssayError> {
  try {
    await promise;
  } catch (error) {
    return error as AssayError;
  }
  throw new Error("expected a failure");
}
