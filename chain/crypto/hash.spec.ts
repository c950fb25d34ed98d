import { describe, expect, it } from "vitest";
import { rng } from "../../test/support/random-strings.js";
import { fromBase64, toBase64, toHex } from "./hash.js";

const STANDARD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .\n";

describe("fromBase64", () => {
  it("decodes what toBase64 encodes, for every length", () => {
    const next = rng(3);
    for (let length = 0; length < 200; length++) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
      expect(toHex(fromBase64(toBase64(bytes)))).toBe(toHex(bytes));
    }
  });

  it("rejects url-safe, unpadded, spaced and garbage input", () => {
    for (const bad of ["QQ", "QQ=", "QUJD-A==", "QUJD_A==", "QU JD", "QUJD\n", "====", "Q===", "é"])
      expect(() => fromBase64(bad), bad).toThrow("invalid base64 string");
  });

  it("accepts exactly the standard padded alphabet, canonical or not", () => {
    // Non-zero bits in the last character's unused part still decode, as they always have.
    expect(toHex(fromBase64("QR=="))).toBe("41");
    const next = rng(5);
    for (let i = 0; i < 3000; i++) {
      const length = Math.floor(next() * 13);
      const text = Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join("");
      let accepted = true;
      try {
        fromBase64(text);
      } catch {
        accepted = false;
      }
      expect(accepted, JSON.stringify(text)).toBe(STANDARD.test(text));
    }
  });
});
