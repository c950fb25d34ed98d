/**
 * The native string codec must give exactly the bytes and strings of cosmjs-types' JavaScript
 * codec for every input, well-formed or not: chain state and hashes are made of them.
 */
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { utf8Length, utf8Read, utf8Write } from "cosmjs-types/utf8";
import { describe, expect, it } from "vitest";
import "./native-utf8.js";

/** Deterministic pseudo-random numbers (xorshift32), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const UNITS = [0x41, 0x7f, 0xe9, 0x7ff, 0x800, 0x4e2d, 0xfffd, 0xffff, 0xd83d, 0xde00, 0xdbff, 0xdc00];

function randomString(next: () => number): string {
  const length = Math.floor(next() * 40);
  const units: number[] = [];
  for (let i = 0; i < length; i++) {
    const pick = next();
    if (pick < 0.5) units.push(0x20 + Math.floor(next() * 95));
    else if (pick < 0.8)
      units.push(0xd83d, 0xde00 + Math.floor(next() * 64)); // a surrogate pair
    else units.push(UNITS[Math.floor(next() * UNITS.length)]!); // may leave a lone surrogate
  }
  return String.fromCharCode(...units);
}

function jsEncoded(value: string): Uint8Array {
  const out = new Uint8Array(utf8Length(value));
  utf8Write(value, out, 0);
  return out;
}

describe("native protobuf strings", () => {
  it("writes the JavaScript codec's bytes for every string, lone surrogates included", () => {
    const next = rng(7);
    for (let i = 0; i < 3_000; i++) {
      const value = randomString(next);
      const written = new BinaryWriter().string(value).finish();
      const reader = new BinaryReader(written);
      const len = reader.uint32();
      expect(len, JSON.stringify(value)).toBe(utf8Length(value));
      expect(written.subarray(reader.pos), JSON.stringify(value)).toEqual(jsEncoded(value));
    }
  });

  it("reads the JavaScript codec's string for every byte string, invalid UTF-8 included", () => {
    const next = rng(11);
    for (let i = 0; i < 3_000; i++) {
      const bytes =
        next() < 0.5
          ? jsEncoded(randomString(next))
          : Uint8Array.from({ length: Math.floor(next() * 30) }, () => Math.floor(next() * 256));
      const framed = new BinaryWriter().bytes(bytes).uint32(99).finish();
      const reader = new BinaryReader(framed);
      expect(reader.string(), Buffer.from(bytes).toString("hex")).toBe(utf8Read(bytes, 0, bytes.length));
      expect(reader.uint32()).toBe(99); // the position after the string is right on both paths
    }
  });

  it("refuses a string running past the end", () => {
    const truncated = new BinaryWriter().string("hello world").finish().subarray(0, 5);
    expect(() => new BinaryReader(truncated).string()).toThrow(RangeError);
  });
});
