export { mergeCompare, type MergeCompareOptions } from "./merge.js";
export { compareCells, cellsEqual, isNumericType } from "./cells.js";
export { compareOk, compareSummary } from "./summary.js";
export { checksumCompare, type ChecksumCompareOptions, type ChecksumCompareStats, type ChecksumSideRef } from "./checksum-compare.js";
