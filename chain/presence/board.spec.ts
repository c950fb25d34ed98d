import { describe, expect, it } from "vitest";
import { PresenceBoard } from "./board.js";

const A = "vivim1alice";
const TTL = 90_000;

describe("presence board", () => {
  it("tells a change once, and ignores reports older than the one held", () => {
    const b = new PresenceBoard();
    expect(b.report(A, "n0", { status: "online", at: 1_000, ttlMs: TTL }, 1_000)).toBe("online");
    // A renewal changes nothing anyone needs to hear.
    expect(b.report(A, "n0", { status: "online", at: 2_000, ttlMs: TTL }, 2_000)).toBeUndefined();
    expect(b.report(A, "n0", { status: "busy", at: 3_000, ttlMs: TTL }, 3_000)).toBe("busy");
    expect(b.report(A, "n0", { status: "away", at: 2_500, ttlMs: TTL }, 3_100)).toBeUndefined();
    expect(b.status(A, 3_100)).toBe("busy");
    expect(b.report(A, "n0", { status: "offline", at: 4_000, ttlMs: TTL }, 4_000)).toBe("offline");
    expect(b.status(A, 4_000)).toBe("offline");
  });

  it("keeps an account present while any node reports it, the latest report winning", () => {
    const b = new PresenceBoard();
    b.report(A, "n0", { status: "online", at: 1_000, ttlMs: TTL }, 1_000);
    b.report(A, "n1", { status: "away", at: 2_000, ttlMs: TTL }, 2_000);
    expect(b.status(A, 2_000)).toBe("away");
    // Its session on n1 closes: still online through n0.
    expect(b.report(A, "n1", { status: "offline", at: 3_000, ttlMs: TTL }, 3_000)).toBe("online");
    expect(b.status(A, 3_000)).toBe("online");
  });

  it("fades an account to offline when its node stops renewing, and the sweep says so", () => {
    const b = new PresenceBoard();
    b.report(A, "n0", { status: "online", at: 0, ttlMs: TTL }, 0);
    b.report("vivim1bob", "n0", { status: "busy", at: 50_000, ttlMs: TTL }, 50_000);
    expect(b.sweep(TTL - 1)).toEqual([]);
    expect(b.status(A, TTL)).toBe("offline");
    expect(b.sweep(TTL)).toEqual([[A, "offline"]]);
    expect(b.sweep(TTL)).toEqual([]);
    expect(b.status("vivim1bob", TTL)).toBe("busy");
  });

  it("tracks a bounded number of accounts", () => {
    const b = new PresenceBoard(2);
    for (const a of ["a", "b", "c"]) b.report(a, "n0", { status: "online", at: 1, ttlMs: TTL }, 1);
    expect(["a", "b", "c"].map((a) => b.status(a, 2))).toEqual(["offline", "online", "online"]);
  });
});
