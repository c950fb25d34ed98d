import { describe, expect, it } from "vitest";
import { DecodedByIdentity } from "./decoded-by-identity.js";

describe("DecodedByIdentity", () => {
  it("decodes each bytes object once and equal bytes in another object again", () => {
    let calls = 0;
    const cache = new DecodedByIdentity((b) => {
      calls++;
      return { first: b[0] };
    });
    const bytes = new Uint8Array([7]);
    expect(cache.decode(bytes)).toEqual({ first: 7 });
    expect(cache.decode(bytes)).toBe(cache.decode(bytes));
    expect(calls).toBe(1);
    cache.decode(new Uint8Array([7]));
    expect(calls).toBe(2);
  });

  it("answers remembered encodings without decoding", () => {
    const cache = new DecodedByIdentity<{ v: number }>(() => {
      throw new Error("must not decode");
    });
    const value = { v: 1 };
    const bytes = cache.remember(new Uint8Array([1]), value);
    expect(cache.decode(bytes)).toBe(value);
  });
});
