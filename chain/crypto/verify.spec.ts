import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { isHighS, KeyCache, parsePublicKey, verifySignature } from "./verify.js";

const N = secp256k1.Point.CURVE().n;

function toHighS(sig: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
  const out = new Uint8Array(sig);
  out.set(Buffer.from((N - s).toString(16).padStart(64, "0"), "hex"), 32);
  return out;
}

const msg = new TextEncoder().encode("sign doc bytes");
const skSecp = secp256k1.utils.randomSecretKey();
const pkSecp = secp256k1.getPublicKey(skSecp, true);
const sigSecp = secp256k1.sign(msg, skSecp); // sha256 prehash, low-S, 64-byte r||s: what cosmjs produces
const skEd = ed25519.utils.randomSecretKey();
const pkEd = ed25519.getPublicKey(skEd);
const sigEd = ed25519.sign(msg, skEd);

describe("verifySignature secp256k1", () => {
  it("accepts a valid low-S signature", () => {
    expect(verifySignature("secp256k1", pkSecp, msg, sigSecp)).toBe(true);
  });

  it("rejects a tampered message or signature", () => {
    expect(verifySignature("secp256k1", pkSecp, new TextEncoder().encode("other"), sigSecp)).toBe(false);
    const bad = new Uint8Array(sigSecp);
    bad[5] = bad[5]! ^ 1;
    expect(verifySignature("secp256k1", pkSecp, msg, bad)).toBe(false);
  });

  it("rejects the high-S twin of a valid signature (malleability), though it is mathematically valid", () => {
    const high = toHighS(sigSecp);
    expect(isHighS(high)).toBe(true);
    expect(isHighS(sigSecp)).toBe(false);
    expect(secp256k1.verify(high, msg, pkSecp, { lowS: false })).toBe(true);
    expect(verifySignature("secp256k1", pkSecp, msg, high)).toBe(false);
  });

  it("returns false, never throws, on garbage keys and signatures", () => {
    const offCurve = new Uint8Array(33).fill(0xff);
    offCurve[0] = 0x02;
    expect(parsePublicKey("secp256k1", offCurve)).toBeNull();
    expect(verifySignature("secp256k1", offCurve, msg, sigSecp)).toBe(false);
    expect(verifySignature("secp256k1", pkSecp.subarray(0, 32), msg, sigSecp)).toBe(false);
    expect(verifySignature("secp256k1", secp256k1.getPublicKey(skSecp, false), msg, sigSecp)).toBe(false);
    expect(verifySignature("secp256k1", pkSecp, msg, sigSecp.subarray(0, 63))).toBe(false);
    expect(verifySignature("secp256k1", pkSecp, msg, new Uint8Array(64))).toBe(false);
    expect(verifySignature("secp256k1", new Uint8Array(0), msg, new Uint8Array(0))).toBe(false);
    expect(verifySignature("sr25519" as "ed25519", pkEd, msg, sigEd)).toBe(false);
  });
});

describe("verifySignature ed25519", () => {
  it("accepts a valid signature and rejects a tampered one", () => {
    expect(verifySignature("ed25519", pkEd, msg, sigEd)).toBe(true);
    const bad = new Uint8Array(sigEd);
    bad[0] = bad[0]! ^ 1;
    expect(verifySignature("ed25519", pkEd, msg, bad)).toBe(false);
    expect(verifySignature("ed25519", pkEd, new TextEncoder().encode("x"), sigEd)).toBe(false);
  });

  it("does not confuse key types", () => {
    expect(verifySignature("secp256k1", pkEd, msg, sigEd)).toBe(false);
    expect(verifySignature("ed25519", pkSecp, msg, sigSecp)).toBe(false);
  });
});

describe("KeyCache", () => {
  it("parses each key once and evicts the least recently used", () => {
    const cache = new KeyCache(2);
    const keys = [0, 1, 2].map(() => ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
    const a = cache.get("ed25519", keys[0]!);
    expect(cache.get("ed25519", keys[0]!)).toBe(a);
    cache.get("ed25519", keys[1]!);
    cache.get("ed25519", keys[0]!); // keys[0] is now the most recent
    cache.get("ed25519", keys[2]!); // evicts keys[1]
    expect(cache.size).toBe(2);
    expect(cache.get("ed25519", keys[0]!)).toBe(a);
  });

  it("caches invalid keys as null so junk is parsed only once", () => {
    const cache = new KeyCache(8);
    expect(cache.get("secp256k1", new Uint8Array(33))).toBeNull();
    expect(cache.size).toBe(1);
  });

  it("keys the cache by type as well as bytes", () => {
    const cache = new KeyCache(8);
    const bytes = pkEd;
    expect(cache.get("ed25519", bytes)).not.toBeNull();
    expect(cache.get("secp256k1", bytes)).toBeNull();
  });
});
