import { describeReporterContract } from "@assay/ports/testing";
import plugin, { Options } from "../src/index.js";

/** Like assay: options validated and defaulted by the plugin's own schema, then create(). */
const context = { projectRoot: process.cwd(), warn: (message: string) => console.warn(message) };

// text: the report is UTF-8 text, so the suite also checks that it names every run and test object.
describeReporterContract("__NAME__", async () => plugin.create(Options.parse({}), context), { text: true });
describeReporterContract("__NAME__ (delimiter ;)", async () => plugin.create(Options.parse({ delimiter: ";" }), context), { text: true });
