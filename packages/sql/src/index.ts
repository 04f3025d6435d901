export { createSqlBackend, type SqlBackendOptions } from "./backend.js";
export type { Driver, DriverSession, ErrorRule, ErrorScene, ErrorTable, NativeColumn, NativeError, NativeErrorCode, Param, Session, SessionTarget } from "./driver.js";
export { classifyError, closedError, readOnlyError, type Classified } from "./errors.js";
export { Deadline } from "./deadline.js";
export { castTo, embeddable, firstKeyword, nullSafeEqual, quoteIdent, refusedKind, statementKinds, STATEMENT_VERBS, topLevelItems, type Dialect } from "./dialect.js";
export { byName, createIntrospector, type FoundObject, type Introspector } from "./introspector.js";
// The vocabulary's rules live in @assay/ports (core applies them too); re-exported for dialect authors.
export { baseType, comparisonType, isNumericType, type ComparisonType } from "@assay/ports";
export { differenceShape, harmoniseType, isNestedType, STANDARD_TYPES, type TypeMap } from "./types.js";
export { resolveCompare, type ComparedColumn, type ResolvedCompare, type SideColumn } from "./compare/resolve.js";
export { decodeCompare } from "./compare/decode.js";
export { allMatched, checksumPass, type ChecksumOptions } from "./compare/fast-path.js";
export { Binder, differs, isCast, keyOrder, kindCase, ownValue, ownValues, planId, portablePlan, sideValue, summaryTerms, type ComparePlanner, type PlanInput } from "./compare/plan.js";
export { coordinatesTemplate, renderTemplate, secretScrubber } from "./options.js";
export { booleanFlags } from "./flags.js";
export { inBatches, volatileQuery } from "./volatile.js";
export { isoTimestamp, safeInteger, specialFloat } from "./cells.js";
export type { ChecksumDialect } from "./checksum/dialect.js";
