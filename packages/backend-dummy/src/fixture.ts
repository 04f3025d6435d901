import { CONTRACT_TABLE } from "@assay/ports/fixtures";

/**
 * The table the dummy backend serves: the Backend contract's fixture, so that the dummy passes
 * the same suite as real engines. Imported from the vitest-free `fixtures` entry of ports.
 */
export const DUMMY_FIXTURE = CONTRACT_TABLE;
