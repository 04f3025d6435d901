import { createHash } from "node:crypto";
import { z } from "zod";
import { testCaseIdentifier, type TestSet } from "../model.js";

/** A test set as it is selected for a run: its coordinates after --stage/--instance, its test case ids. */
export const SelectedTestSet = z.object({
  name: z.string(),
  file: z.string(),
  labels: z.array(z.string()),
  domain: z.string(),
  stage: z.string(),
  instance: z.string(),
  testcases: z.array(z.object({ id: z.string(), object: z.string(), type: z.string(), scenario: z.string().nullable() })),
});
export type SelectedTestSet = z.infer<typeof SelectedTestSet>;

/**
 * What one `assay run` selected, in a canonical order (test sets by name, test cases in test set
 * order), and its fingerprint: every shard of one selection computes the same fingerprint on
 * any machine, and `assay merge` refuses shards whose fingerprints differ.
 */
export interface Selection {
  fingerprint: string;
  testSets: SelectedTestSet[];
}

/** The key of a test case across test sets (test case ids are unique only within a test set). */
export function testCaseKey(testSetName: string, testCaseId: string): string {
  return `${testSetName} › ${testCaseId}`;
}

export function selectionOf(testSets: readonly TestSet[], overrides: { stage?: string; instance?: string } = {}): Selection {
  const byName = new Map<string, TestSet>();
  for (const set of testSets) byName.set(set.name, set);
  const selected = [...byName.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((set) => ({
      name: set.name,
      file: set.file,
      labels: set.labels,
      domain: set.domain,
      stage: overrides.stage ?? set.stage,
      instance: overrides.instance ?? set.instance,
      testcases: set.testcases.map((e) => {
        const type = e.type.toUpperCase();
        return { id: testCaseIdentifier({ ...e, type }), object: e.object, type, scenario: e.scenario };
      }),
    }));
  return { fingerprint: fingerprintOf(selected), testSets: selected };
}

/** Everything that decides which test cases run where, nothing that varies between machines. */
export function fingerprintOf(testSets: readonly SelectedTestSet[]): string {
  const canonical = testSets.map((s) => [s.name, s.file, s.domain, s.stage, s.instance, s.testcases.map((t) => t.id)]);
  return sha256(JSON.stringify(canonical));
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Every test case key of the selection, in selection order. */
export function selectionKeys(selection: Selection): string[] {
  return selection.testSets.flatMap((s) => s.testcases.map((t) => testCaseKey(s.name, t.id)));
}
