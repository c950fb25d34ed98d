import { describe, expect, it } from "vitest";
import { latin1Bytes, latin1String } from "./latin1.js";

describe("latin1String", () => {
  it("maps each byte of the view (not of its buffer) to one char", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const view = all.subarray(250, 256);
    expect(latin1String(view)).toBe("\u00fa\u00fb\u00fc\u00fd\u00fe\u00ff");
    expect(latin1String(all)).toBe(Buffer.from(all).toString("latin1"));
    expect(latin1String(new Uint8Array(0))).toBe("");
  });

  it("gives distinct strings for distinct byte strings, including trailing zeros", () => {
    expect(latin1String(new Uint8Array([1]))).not.toBe(latin1String(new Uint8Array([1, 0])));
  });
});

describe("latin1Bytes", () => {
  it("gives back exactly the bytes latin1String was given, in an array of their own", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    for (const bytes of [all, all.subarray(3, 40), new Uint8Array(0), Uint8Array.of(0, 0)]) {
      const back = latin1Bytes(latin1String(bytes));
      expect(back).toEqual(new Uint8Array(bytes));
      expect(back.buffer).not.toBe(bytes.buffer);
    }
  });
});
