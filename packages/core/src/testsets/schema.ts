import { z } from "zod";

const text = z.string().trim().min(1);
/** Scenarios such as `2024` are read as text. */
const scenario = z.union([text, z.number().transform(String)]);

export const TestCaseYaml = z.strictObject({
  object: text,
  type: text,
  scenario: scenario.optional(),
  comment: z.string().optional(),
});

/** A test set file (`testsets/*.yaml`). Strict: a misspelt key is an error, not ignored. */
export const TestSetYaml = z.strictObject({
  name: text,
  description: z.string().optional(),
  domain: text,
  stage: text,
  instance: text,
  labels: z.array(text).optional(),
  testcases: z.array(TestCaseYaml).min(1, "a test set needs at least one test case"),
});
export type TestSetYaml = z.infer<typeof TestSetYaml>;
