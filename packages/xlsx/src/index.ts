/**
 * assay's optional xlsx support, shared by the `.schema.xlsx` spec reader in @assay/core and
 * the xlsx reporter. It is a separate install so that users who never touch a spreadsheet do
 * not carry a spreadsheet library.
 */
export { readWorkbook, XlsxReadError, type XlsxSheet, type XlsxValue } from "./read.js";
export { writeWorkbook, type XlsxCell, type XlsxWriteSheet } from "./write.js";
