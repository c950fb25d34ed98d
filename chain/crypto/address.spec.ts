import { toBech32 } from "@cosmjs/encoding";
import { describe, expect, it } from "vitest";
import { isCodedError } from "../errors/codes.js";
import { decodeAddress, encodeAddress } from "./address.js";

const bytes = new Uint8Array(20).map((_, i) => i + 1);

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return isCodedError(err) ? err.code : -1;
  }
  return undefined;
}

describe("decodeAddress", () => {
  it("round-trips our addresses, from the cache too", () => {
    const address = encodeAddress(bytes);
    expect(decodeAddress(address)).toEqual(bytes);
    expect(decodeAddress(address)).toEqual(bytes);
  });

  it("refuses an address under another prefix even after decoding it under its own", () => {
    const cosmos = toBech32("cosmos", bytes);
    expect(decodeAddress(cosmos, "cosmos")).toEqual(bytes);
    // InvalidAddress (sdk code 7), not the cached bytes.
    expect(codeOf(() => decodeAddress(cosmos))).toBe(7);
    expect(decodeAddress(cosmos, "cosmos")).toEqual(bytes);
  });

  it("refuses malformed, oversized and wrong-length addresses with InvalidAddress", () => {
    const address = encodeAddress(bytes);
    const badChecksum = address.slice(0, -1) + (address.endsWith("q") ? "p" : "q");
    expect(codeOf(() => decodeAddress(badChecksum))).toBe(7);
    expect(codeOf(() => decodeAddress("vivim1".padEnd(100, "q")))).toBe(7);
    expect(codeOf(() => decodeAddress(toBech32("vivim", new Uint8Array(32))))).toBe(7);
    expect(codeOf(() => decodeAddress(""))).toBe(7);
  });
});
