/** Programmatic entry: run the CLI with the given argv and get its exit code. */
export { main } from "./main.js";
export { Cli, type GlobalOptions, type Project } from "./cli.js";
export { discoverPlugins, type Discovery } from "./discovery/discover.js";
export type { DiscoveredPlugin } from "./discovery/candidate.js";
