import { describe, expect, it } from "vitest";
import {
  compositeValuePrefix,
  eventIndexKeys,
  locationFromIndexKey,
  MAX_INDEXED_VALUE_BYTES,
  valueFromIndexKey,
} from "./tx-index-keys.js";

const attr = (key: string, value: string, index = true) => ({ key, value, index });

describe("eventIndexKeys", () => {
  it("writes [composite value prefix][height][index] for each indexed attribute", () => {
    const keys = eventIndexKeys(
      [{ type: "transfer", attributes: [attr("recipient", "vivim1xyz"), attr("amount", "5uvivim", false)] }],
      7n,
      3,
    );
    expect(keys).toHaveLength(1);
    const prefix = compositeValuePrefix("transfer.recipient", "vivim1xyz");
    expect(Buffer.from(keys[0]!.subarray(0, prefix.length)).equals(Buffer.from(prefix))).toBe(true);
    expect(keys[0]!.length).toBe(prefix.length + 12);
    expect(locationFromIndexKey(keys[0]!)).toEqual({ height: 7n, index: 3 });
    expect(valueFromIndexKey(keys[0]!)).toBe("vivim1xyz");
  });

  it("keeps multi-byte values intact and indexes a repeated (key, value) pair once", () => {
    const events = [
      { type: "message", attributes: [attr("sender", "ünïcødé 🔥"), attr("sender", "ünïcødé 🔥")] },
      { type: "message", attributes: [attr("sender", "other")] },
    ];
    const keys = eventIndexKeys(events, 1n, 0);
    expect(keys.map(valueFromIndexKey)).toEqual(["ünïcødé 🔥", "other"]);
  });

  it("keeps a value under each composite key, and spells one composite key one way", () => {
    const events = [
      { type: "transfer", attributes: [attr("sender", "v1"), attr("recipient", "v1")] },
      // "a.b" + "c" and "a" + "b.c" are the same composite key, "a.b.c": indexed once.
      { type: "a.b", attributes: [attr("c", "x")] },
      { type: "a", attributes: [attr("b.c", "x"), attr("b.c", "y")] },
    ];
    const keys = eventIndexKeys(events, 4n, 2);
    expect(keys.map(valueFromIndexKey)).toEqual(["v1", "v1", "x", "y"]);
    expect(
      Buffer.from(keys[2]!.subarray(0, -12)).equals(Buffer.from(compositeValuePrefix("a.b.c", "x"))),
    ).toBe(true);
    expect(keys.map(locationFromIndexKey)).toEqual(Array(4).fill({ height: 4n, index: 2 }));
  });

  it("skips values over the cap, empty keys and composite keys over 255 bytes", () => {
    const keys = eventIndexKeys(
      [
        {
          type: "t",
          attributes: [
            attr("big", "x".repeat(MAX_INDEXED_VALUE_BYTES + 1)),
            attr("", "v"),
            attr("k".repeat(300), "v"),
            attr("ok", "x".repeat(MAX_INDEXED_VALUE_BYTES)),
          ],
        },
      ],
      2n,
      1,
    );
    expect(keys.map(valueFromIndexKey)).toEqual(["x".repeat(MAX_INDEXED_VALUE_BYTES)]);
  });
});
