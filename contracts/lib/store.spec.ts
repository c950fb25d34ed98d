import { describe, expect, it } from "vitest";
import { readUint64, uint64Bytes } from "./store.js";

const viaDataView = (v: bigint) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v);
  return out;
};

describe("uint64 keys", () => {
  // Each side of the 32-bit split and of the 2^53 fast path, and the top of the range.
  const edges = [
    0n,
    1n,
    255n,
    256n,
    ...[32n, 53n].flatMap((p) => [2n ** p - 1n, 2n ** p]),
    2n ** 53n + 1n,
    2n ** 64n - 1n,
  ];

  it("encodes big-endian exactly as DataView does, on both sides of 2^53", () => {
    for (const v of edges) expect(uint64Bytes(v)).toEqual(viaDataView(v));
    for (let i = 0; i < 2000; i++) {
      const v = BigInt.asUintN(
        64,
        BigInt(Math.floor(Math.random() * 2 ** 32)) * 2n ** BigInt(i % 33) + BigInt(i),
      );
      expect(uint64Bytes(v)).toEqual(viaDataView(v));
      expect(readUint64(viaDataView(v))).toBe(v);
    }
  });

  it("round-trips and reads from an offset view", () => {
    for (const v of edges) expect(readUint64(uint64Bytes(v))).toBe(v);
    const buf = new Uint8Array(12);
    buf.set(uint64Bytes(2n ** 60n + 7n), 3);
    expect(readUint64(buf.subarray(3))).toBe(2n ** 60n + 7n);
  });

  it("sorts numerically as bytes", () => {
    const sorted = [...edges].map(uint64Bytes).sort(Buffer.compare).map(readUint64);
    expect(sorted).toEqual(edges);
  });

  it("keeps DataView's wrap-around outside uint64 (existing keys must not change) and refuses short input", () => {
    for (const v of [-1n, -(2n ** 53n), 2n ** 64n, 2n ** 64n + 5n])
      expect(uint64Bytes(v)).toEqual(viaDataView(v));
    expect(() => readUint64(new Uint8Array(7))).toThrow(RangeError);
  });
});
