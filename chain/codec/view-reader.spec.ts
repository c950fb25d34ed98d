import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { describe, expect, it } from "vitest";
import { viewReader } from "./view-reader.js";

describe("viewReader", () => {
  it("decodes what the copying reader decodes, with bytes fields viewing the input", () => {
    const encoded = TxRaw.encode({
      bodyBytes: new Uint8Array([1, 2, 3]),
      authInfoBytes: new Uint8Array([4, 5]),
      signatures: [new Uint8Array(64).fill(9)],
    }).finish();
    // A view at an offset into a larger buffer, as a tx inside a request body is.
    const padded = new Uint8Array(encoded.length + 10);
    padded.set(encoded, 7);
    const input = padded.subarray(7, 7 + encoded.length);
    const viewed = TxRaw.decode(viewReader(input));
    expect(viewed).toEqual(TxRaw.decode(input));
    expect(viewed.bodyBytes.buffer).toBe(padded.buffer);
  });

  it("stops at the end of the view, not of its buffer", () => {
    const encoded = TxRaw.encode({
      bodyBytes: new Uint8Array([1]),
      authInfoBytes: new Uint8Array(),
      signatures: [],
    }).finish();
    const trailing = new Uint8Array(encoded.length + 3);
    trailing.set(encoded);
    trailing.set([0x1a, 0x01, 0x07], encoded.length); // a signature field past the view's end
    const viewed = TxRaw.decode(viewReader(trailing.subarray(0, encoded.length)));
    expect(viewed.signatures).toEqual([]);
  });
});
