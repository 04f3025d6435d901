import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describeStorageContract } from "@assay/ports/testing";
import plugin, { Options } from "../src/index.js";

/** Like assay: options validated and defaulted by the plugin's own schema, then create(). */
const context = (projectRoot: string) => ({ projectRoot, warn: (message: string) => console.warn(message) });
const newProjectRoot = () => mkdtemp(path.join(os.tmpdir(), "assay-storage-__NAME__-"));

describeStorageContract("__NAME__", async () => {
  const location = "__NAME__:results";
  return plugin.create(Options.parse({}), { ...context(await newProjectRoot()), location });
});
