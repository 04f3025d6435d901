/**
 * @assay/backend-demo: the demo project generator behind `assay demo`, and the `demo` backend
 * plugin that serves the generated DuckDB warehouse (through @assay/backend-duckdb).
 */
export { default } from "./plugin.js";
export { generateDemoProject, type GenerateDemoOptions, type GeneratedDemo } from "./generate.js";
export { DEMO_EXPECTATIONS, type DemoExpectation } from "./testsets.js";
