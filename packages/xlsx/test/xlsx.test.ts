import { describe, expect, it } from "vitest";
import { readWorkbook, writeWorkbook, XlsxReadError } from "../src/index.js";

describe("xlsx", () => {
  it("writes numbers as numbers, dates as dates and text as text, and reads them back", async () => {
    const bytes = await writeWorkbook([
      { name: "Summary", rows: [[{ value: "name", bold: true }, "count", "when"], ["a", 3, new Date(Date.UTC(2026, 0, 2))], ["b", 1.5, null]], widths: [10, 8, 12], stickyRows: 1 },
      { name: "a/b:c?", rows: [["x"]] },
      { name: "A/B:C?", rows: [["y"]] },
    ]);
    expect(Buffer.from(bytes.subarray(0, 2)).toString("latin1")).toBe("PK");
    const sheets = await readWorkbook(bytes);
    expect(sheets.map((s) => s.name)).toEqual(["Summary", "a_b_c_", "A_B_C_~2"]);
    const [header, first, second] = sheets[0]!.rows;
    expect(header).toEqual(["name", "count", "when"]);
    expect(first![1]).toBe(3);
    expect(first![2]).toBeInstanceOf(Date);
    expect((first![2] as Date).toISOString()).toBe("2026-01-02T00:00:00.000Z");
    expect(second!.slice(0, 2)).toEqual(["b", 1.5]);
  });

  it("refuses bytes that are not a workbook with XlsxReadError", async () => {
    await expect(readWorkbook(new TextEncoder().encode("column,type\nid,int\n"))).rejects.toBeInstanceOf(XlsxReadError);
  });
});
