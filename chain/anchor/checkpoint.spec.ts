import { describe, expect, it } from "vitest";
import { anchorMemo, type HeaderCheckpoint, parseAnchorMemo, sameCheckpoint } from "./checkpoint.js";

const cp: HeaderCheckpoint = {
  chainId: "vivim-devnet-1",
  height: 1234n,
  headerHash: new Uint8Array(32).fill(0xab),
  appHash: new Uint8Array(32).fill(0x0c),
};

describe("anchor memos", () => {
  it("carry chain, height and both hashes in upper-case hex, and parse back", () => {
    const memo = anchorMemo(cp);
    expect(memo).toBe(`vivim-anchor:v1:vivim-devnet-1:1234:${"AB".repeat(32)}:${"0C".repeat(32)}`);
    expect(memo.length).toBeLessThan(256);
    const back = parseAnchorMemo(memo)!;
    expect(sameCheckpoint(back, cp)).toBe(true);
    // Lower-case hex and an empty app hash are read too.
    expect(sameCheckpoint(parseAnchorMemo(memo.toLowerCase())!, cp)).toBe(true);
    const empty = parseAnchorMemo(`vivim-anchor:v1:c:1:${"00".repeat(32)}:`)!;
    expect(empty.appHash.length).toBe(0);
  });

  it("are refused when anything is off", () => {
    const h = "AB".repeat(32);
    for (const bad of [
      "",
      "hello",
      `vivim-anchor:v2:c:1:${h}:${h}`,
      `vivim-anchor:v1:c:0:${h}:${h}`,
      `vivim-anchor:v1:c:01:${h}:${h}`,
      `vivim-anchor:v1:c:-1:${h}:${h}`,
      `vivim-anchor:v1:c:9223372036854775808:${h}:${h}`,
      `vivim-anchor:v1:c:1:${h.slice(2)}:${h}`,
      `vivim-anchor:v1:c:1:${h}:${h}0`,
      `vivim-anchor:v1:c:1:${h}:${"AB".repeat(65)}`,
      `vivim-anchor:v1::1:${h}:${h}`,
      `vivim-anchor:v1:a:b:1:${h}:${h}`,
      `vivim-anchor:v1:c:1:${h}:${h}\n`,
      ` vivim-anchor:v1:c:1:${h}:${h}`,
      `vivim-anchor:v1:c:1:${h}:${h}${"0".repeat(1000)}`,
    ]) {
      expect(parseAnchorMemo(bad), bad).toBeUndefined();
    }
  });

  it("differ when any field differs", () => {
    expect(sameCheckpoint(cp, { ...cp, height: 1235n })).toBe(false);
    expect(sameCheckpoint(cp, { ...cp, chainId: "other" })).toBe(false);
    expect(sameCheckpoint(cp, { ...cp, headerHash: new Uint8Array(32) })).toBe(false);
    expect(sameCheckpoint(cp, { ...cp, appHash: new Uint8Array(32) })).toBe(false);
  });
});
