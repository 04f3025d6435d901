export { discoverSpecs, listSpecProblems, specFolder, type SpecProblem } from "./discover.js";
export { specsForTestCase, type SpecNeeds } from "./match.js";
export { parseSpecFileName, SPEC_EXTENSIONS, type SpecFileName } from "./file-name.js";
export { parseSpec } from "./parse-spec.js";
export {
  harmoniseTypeName, typeMatches, typeListed, TYPE_VOCABULARY, TYPE_FAMILIES, type VocabularyType, type VocabularyFamily,
} from "./harmonise-type.js";
