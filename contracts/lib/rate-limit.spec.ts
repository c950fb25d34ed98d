import { describe, expect, it } from "vitest";
import type { CodedError } from "../../chain/errors/codes.js";
import { MemoryStore } from "../../test/support/memory-store.js";
import type { BlockInfo, KVStore } from "../types.js";
import { consumeRate, consumeRateSlot } from "./rate-limit.js";

const at = (seconds: number): BlockInfo => ({
  chainId: "t",
  height: 1n,
  time: { seconds: BigInt(seconds), nanos: 0 },
});
const KEY = Uint8Array.from([1, 2, 3]);

function attempt(store: KVStore, seconds: number, rule = { max: 3, windowSeconds: 60 }): string {
  try {
    consumeRate(store, KEY, rule, at(seconds), "post");
    return "ok";
  } catch (err) {
    return (err as CodedError).log;
  }
}

describe("consumeRate", () => {
  it("allows a burst of max, then refuses with the exact retry time, then refills evenly", () => {
    const store = new MemoryStore();
    expect([attempt(store, 1000), attempt(store, 1000), attempt(store, 1000)]).toEqual(["ok", "ok", "ok"]);
    const refused = attempt(store, 1000);
    expect(refused).toMatch(/at most 3 per 60s; retry_after=1020 \(in 20s\)/);
    expect(attempt(store, 1019)).toMatch(/retry_after=1020/);
    expect(attempt(store, 1020)).toBe("ok");
    expect(attempt(store, 1020)).toMatch(/retry_after=1040/);
    // After a long quiet period the full burst is back, not more.
    expect([attempt(store, 5000), attempt(store, 5000), attempt(store, 5000), attempt(store, 5000)]).toEqual([
      "ok",
      "ok",
      "ok",
      expect.stringMatching(/retry_after=5020/),
    ]);
  });

  it("records nothing when it refuses, and forbids when max is 0", () => {
    const store = new MemoryStore();
    const rule = { max: 1, windowSeconds: 10 };
    expect(attempt(store, 0, rule)).toBe("ok");
    const before = store.get(KEY);
    expect(attempt(store, 5, rule)).toMatch(/retry_after=10/);
    expect(store.get(KEY)).toEqual(before);
    expect(attempt(new MemoryStore(), 0, { max: 0, windowSeconds: 10 })).toMatch(/not allowed/);
  });
});

describe("consumeRateSlot", () => {
  it("keeps each action's limiter in its own slot of one record", () => {
    const store = new MemoryStore();
    const rule = { max: 1, windowSeconds: 60 };
    const act = (slot: number, seconds: number) => {
      try {
        consumeRateSlot(store, KEY, slot, rule, at(seconds), `action${slot}`);
        return "ok";
      } catch (err) {
        return (err as CodedError).log;
      }
    };
    expect(act(2, 100)).toBe("ok");
    expect(store.get(KEY)).toHaveLength(24);
    expect(act(0, 100)).toBe("ok");
    expect(act(0, 110)).toMatch(/action0: .*retry_after=160/);
    expect(act(2, 110)).toMatch(/action2: .*retry_after=160/);
    expect(act(1, 110)).toBe("ok");
    expect(act(0, 160)).toBe("ok");
  });
});
