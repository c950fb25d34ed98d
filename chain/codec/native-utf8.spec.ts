/**
 * The native string codec must give exactly the bytes and strings of cosmjs-types' JavaScript
 * codec for every input, well-formed or not: chain state and hashes are made of them.
 */
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { utf8Length, utf8Read, utf8Write } from "cosmjs-types/utf8";
import { describe, expect, it } from "vitest";
import { randomString, rng } from "../../test/support/random-strings.js";
import "./native-utf8.js";

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
