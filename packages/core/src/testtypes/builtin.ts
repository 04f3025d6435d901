import { compareTestType } from "./compare.js";
import { dummyTestTypes } from "./dummy.js";
import { TestTypeRegistry } from "./registry.js";
import { rowcountTestType } from "./rowcount.js";
import { schemaTestType } from "./schema.js";
import { stagecountTestType } from "./stagecount.js";

/** A registry with SCHEMA, ROWCOUNT, COMPARE, STAGECOUNT and the DUMMY_* test types. */
export function builtinTestTypes(): TestTypeRegistry {
  const registry = new TestTypeRegistry();
  for (const def of [schemaTestType, rowcountTestType, compareTestType, stagecountTestType, ...dummyTestTypes]) registry.register(def);
  return registry;
}
