export { TestTypeRegistry } from "./registry.js";
export { builtinTestTypes } from "./builtin.js";
export { CAPABILITY_PREFIX } from "./preconditions.js";
export { schemaTestType } from "./schema.js";
export { rowcountTestType } from "./rowcount.js";
export { compareTestType } from "./compare.js";
export { stagecountTestType } from "./stagecount.js";
export { dummyTestTypes } from "./dummy.js";
export type { TestCaseContext, TestTypeDefinition, PreconditionCheck, SpecByType } from "./types.js";
