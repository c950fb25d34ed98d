import { describe, expect, it } from "vitest";
import { latin1Bytes, latin1Range, latin1String, writeLatin1 } from "./latin1.js";

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

describe("latin1Range", () => {
  it("reads [start, end) of the view, not of its buffer", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const view = all.subarray(100, 200);
    expect(latin1Range(view, 2, 5)).toBe(latin1String(all.subarray(102, 105)));
    expect(latin1Range(view, 0, 100)).toBe(latin1String(view));
    expect(latin1Range(view, 7, 7)).toBe("");
  });
});

describe("writeLatin1", () => {
  it("writes every char as one byte at the offset of the view, and nothing around it", () => {
    const backing = new Uint8Array(64).fill(0xaa);
    const view = backing.subarray(8, 40);
    const text = latin1String(Uint8Array.of(0, 1, 0x7f, 0x80, 0xff));
    writeLatin1(view, text, 3);
    expect([...backing.subarray(0, 11)]).toEqual([...new Array(11).fill(0xaa)]);
    expect([...backing.subarray(11, 16)]).toEqual([0, 1, 0x7f, 0x80, 0xff]);
    expect(backing[16]).toBe(0xaa);
    expect(latin1Range(view, 3, 8)).toBe(text);
  });
});
