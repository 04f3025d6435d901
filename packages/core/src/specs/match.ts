import type { Spec, SpecType } from "../model.js";

/** What specsForTestCase needs of a test type. */
export interface SpecNeeds {
  name: string;
  requiredSpecs: readonly SpecType[];
  optionalSpecs: readonly SpecType[];
}

/**
 * The specs a test case uses: for each spec type its test type needs, the specs of exactly
 * its object. The test type's own spec type (COMPARE → compare) must carry the test case's
 * scenario (or none, for a test case without one). Other spec types (the schema spec giving
 * COMPARE its keys) serve every scenario: a spec with the same scenario is preferred, else
 * the ones without a scenario. Duplicates are all returned: the "specs unique" check then
 * names them.
 */
export function specsForTestCase(
  specs: readonly Spec[],
  entry: { object: string; type: string; scenario: string | null },
  testType: SpecNeeds,
): Spec[] {
  const own = testType.name.toLowerCase();
  const result: Spec[] = [];
  for (const type of [...testType.requiredSpecs, ...testType.optionalSpecs]) {
    const candidates = specs.filter((s) => s.type === type && s.object === entry.object);
    if (type === own) {
      result.push(...candidates.filter((s) => s.scenario === entry.scenario));
      continue;
    }
    const sameScenario = entry.scenario === null ? [] : candidates.filter((s) => s.scenario === entry.scenario);
    result.push(...(sameScenario.length > 0 ? sameScenario : candidates.filter((s) => s.scenario === null)));
  }
  return result;
}
