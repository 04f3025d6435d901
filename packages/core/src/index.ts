export * from "./model.js";
export * from "./config/schema.js";
export * from "./registry.js";
export * from "./yaml-source.js";
