import { describe, expect, it } from "vitest";
import { compareCursors, formatCursor, parseCursor } from "./cursor.js";

describe("stream cursors", () => {
  it("parses and formats <height>.<index>", () => {
    expect(parseCursor("12.0")).toEqual({ height: 12n, index: 0 });
    expect(parseCursor("9007199254740993.41")).toEqual({ height: 9007199254740993n, index: 41 });
    expect(formatCursor({ height: 5n, index: 3 })).toBe("5.3");
  });

  it("refuses anything else", () => {
    for (const bad of [
      "",
      "1",
      "1.",
      ".1",
      "0.0",
      "01.1",
      "1.01",
      "-1.0",
      "1.-1",
      "1.0.0",
      "a.b",
      " 1.0",
      "1e3.0",
    ])
      expect(parseCursor(bad), bad).toBeUndefined();
    expect(parseCursor("99999999999999999999.0")).toBeUndefined();
    expect(parseCursor("9999999999999999999.0")).toBeUndefined();
  });

  it("orders by height, then index", () => {
    expect(compareCursors({ height: 2n, index: 0 }, { height: 1n, index: 9 })).toBeGreaterThan(0);
    expect(compareCursors({ height: 2n, index: 1 }, { height: 2n, index: 3 })).toBeLessThan(0);
    expect(compareCursors({ height: 2n, index: 3 }, { height: 2n, index: 3 })).toBe(0);
  });
});
