import { describe, expect, it } from "vitest";
import { isAssayError } from "../errors.js";
import type { Formatter } from "../formatter.js";
import { validatePortInstance } from "../plugin.js";

/** The Formatter port's contract. */
export function describeFormatterContract(name: string, create: () => Promise<Formatter>): void {
  describe(`Formatter contract: ${name}`, () => {
    it("implements the port", async () => {
      const f = await create();
      expect(validatePortInstance("formatter", f, name)).toBe(f);
      expect(f.extension).toMatch(/^[a-z0-9]+$/);
    });

    it("round-trips stored objects", async () => {
      const f = await create();
      const value = {
        id: "run-1",
        result: "N/A",
        counts: { ok: 1, nok: 0 },
        nested: [{ a: null, b: true, c: 1.5, d: "ünïcødé ✓", e: "" }],
        empty: [],
      };
      expect(f.parse(f.serialize(value))).toEqual(value);
    });

    it("refuses unreadable bytes with FORMAT_INVALID", async () => {
      const f = await create();
      let error: unknown;
      try {
        f.parse(new TextEncoder().encode("\u0000{not valid"));
      } catch (e) {
        error = e;
      }
      expect(isAssayError(error) && error.code).toBe("FORMAT_INVALID");
    });
  });
}
