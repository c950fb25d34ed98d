import { describe, expect, it } from "vitest";
import { AnchorSchedule } from "./schedule.js";

const MIN = 60_000;

describe("anchor schedule", () => {
  it("takes every N-th height, the same heights whenever the node started", () => {
    const s = new AnchorSchedule(5, 0, 0);
    const taken = [...Array(16).keys()].map((i) => BigInt(i + 1)).filter((h) => s.take(h, 0));
    expect(taken).toEqual([5n, 10n, 15n]);
  });

  it("takes a block once M minutes passed since the last checkpoint, by blocks or by time", () => {
    const s = new AnchorSchedule(100, 10, 0);
    expect(s.take(1n, 9 * MIN)).toBe(false);
    expect(s.take(2n, 10 * MIN)).toBe(true);
    expect(s.take(3n, 15 * MIN)).toBe(false);
    // A checkpoint by block count restarts the timer.
    expect(s.take(100n, 19 * MIN)).toBe(true);
    expect(s.take(101n, 21 * MIN)).toBe(false);
    expect(s.take(102n, 29 * MIN)).toBe(true);
  });

  it("with every_blocks = 0 goes by time only", () => {
    const s = new AnchorSchedule(0, 1, 0);
    expect(s.take(100n, MIN - 1)).toBe(false);
    expect(s.take(101n, MIN)).toBe(true);
  });
});
