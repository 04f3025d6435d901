export { mergeCompare, type MergeCompareOptions } from "./merge.js";
export { compareCells, cellsEqual } from "./cells.js";
export { isNumericType } from "@assay/ports";
export { compareOk, compareSummary } from "./summary.js";
export { checksumCompare, type ChecksumCompareOptions, type ChecksumCompareStats, type ChecksumSideRef } from "./checksum-compare.js";
