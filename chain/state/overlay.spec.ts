import { describe, expect, it } from "vitest";
import { keyString, StoreOverlay } from "./overlay.js";

const key = (...bytes: number[]) => Uint8Array.from(bytes);
const parentOf = (entries: Array<[Uint8Array, Uint8Array]>) => {
  const values = new Map(entries.map(([k, v]) => [keyString(k), v]));
  return { get: (k: Uint8Array) => values.get(keyString(k)) };
};

describe("StoreOverlay", () => {
  it("reads its own writes over its parent's, and a delete hides the parent's value", () => {
    const overlay = new StoreOverlay(
      parentOf([
        [key(1), key(10)],
        [key(2), key(20)],
      ]),
    );
    overlay.set(key(1), key(11));
    overlay.delete(key(2));
    expect(overlay.get(key(1))).toEqual(key(11));
    expect(overlay.get(key(2))).toBeUndefined();
    expect(overlay.has(key(2))).toBe(false);
  });

  it("reaches its parent only through commitInto, and a dropped branch leaves no trace", () => {
    const block = new StoreOverlay(parentOf([]));
    const failedTx = block.branch();
    failedTx.set(key(9), key(90));
    expect(block.get(key(9))).toBeUndefined();

    const tx = block.branch();
    tx.set(key(3), key(30));
    tx.delete(key(4));
    tx.commitInto(block);
    expect(block.get(key(3))).toEqual(key(30));
    expect(block.bufferedWrites().map((w) => [...w.key])).toEqual([[3], [4]]);
  });

  it("gives each written key once, with its last value, in the order first written", () => {
    const overlay = new StoreOverlay(parentOf([]));
    overlay.set(key(7, 1), key(1));
    overlay.set(key(2), key(2));
    overlay.delete(key(5));
    overlay.set(key(7, 1), key(3));
    const writes = overlay.bufferedWrites();
    expect(writes.map((w) => [[...w.key], w.value && [...w.value]])).toEqual([
      [[7, 1], [3]],
      [[2], [2]],
      [[5], null],
    ]);
    for (const w of writes) expect(w.keyLatin1).toBe(keyString(w.key));
  });
});
