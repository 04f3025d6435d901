export * from "./errors.js";
export * from "./values.js";
export * from "./backend.js";
export * from "./storage.js";
export * from "./formatter.js";
export * from "./notifier.js";
export * from "./plugin.js";
export * from "./standard-schema.js";
