/** Removes secrets (the password, plain and URL-encoded, and any URL's password part) from text shown to users: shared by the SQL backends. */
export { secretScrubber } from "@assay/sql";
