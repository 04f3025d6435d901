import type { TestTypeDefinition } from "./types.js";

const dummyDetails = (ctx: Parameters<TestTypeDefinition["execute"]>[0]) => {
  ctx.detail("detail_1_key", "detail 1");
  ctx.detail("detail_2_key", "detail 2");
};

/** Test helpers: fixed outcomes without specs or backend calls. */
export const dummyTestTypes: TestTypeDefinition[] = [
  {
    name: "DUMMY_OK",
    description: "Always OK (for tests).",
    requiredSpecs: [],
    optionalSpecs: [],
    preconditions: [],
    async execute(ctx) {
      dummyDetails(ctx);
      ctx.conclude("OK", "This test case always returns OK.");
    },
  },
  {
    name: "DUMMY_NOK",
    description: "Always NOK (for tests).",
    requiredSpecs: [],
    optionalSpecs: [],
    preconditions: [],
    async execute(ctx) {
      dummyDetails(ctx);
      ctx.conclude("NOK", "This test case always returns NOK.");
    },
  },
  {
    name: "DUMMY_EXCEPTION",
    description: "Always fails with an error (for tests).",
    requiredSpecs: [],
    optionalSpecs: [],
    preconditions: [],
    async execute(ctx) {
      dummyDetails(ctx);
      throw new Error("DUMMY_EXCEPTION always fails.");
    },
  },
];
