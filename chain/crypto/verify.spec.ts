import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { activeNativeSecp256k1, secp256k1Backend } from "./secp256k1-native.js";
import { isHighS, KeyCache, parsePublicKey, type VerifyOptions, verifySignature } from "./verify.js";

const nativeSecp256k1 = activeNativeSecp256k1();

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

// Every secp256k1 rule is checked on both implementations a validator may run.
const backends: Array<[string, VerifyOptions]> = [
  ["libsecp256k1", { native: nativeSecp256k1 ?? null }],
  ["node:crypto", { native: null }],
];

describe.each(backends)("verifySignature secp256k1 (%s)", (_name, opts) => {
  it("accepts a valid low-S signature", () => {
    expect(verifySignature("secp256k1", pkSecp, msg, sigSecp, opts)).toBe(true);
  });

  it("rejects a tampered message or signature", () => {
    expect(verifySignature("secp256k1", pkSecp, new TextEncoder().encode("other"), sigSecp, opts)).toBe(
      false,
    );
    const bad = new Uint8Array(sigSecp);
    bad[5] = bad[5]! ^ 1;
    expect(verifySignature("secp256k1", pkSecp, msg, bad, opts)).toBe(false);
  });

  it("rejects the high-S twin of a valid signature (malleability), though it is mathematically valid", () => {
    const high = toHighS(sigSecp);
    expect(isHighS(high)).toBe(true);
    expect(isHighS(sigSecp)).toBe(false);
    expect(secp256k1.verify(high, msg, pkSecp, { lowS: false })).toBe(true);
    expect(verifySignature("secp256k1", pkSecp, msg, high, opts)).toBe(false);
  });

  it("returns false, never throws, on garbage keys and signatures", () => {
    const offCurve = new Uint8Array(33).fill(0xff);
    offCurve[0] = 0x02;
    expect(parsePublicKey("secp256k1", offCurve)).toBeNull();
    expect(verifySignature("secp256k1", offCurve, msg, sigSecp, opts)).toBe(false);
    expect(verifySignature("secp256k1", pkSecp.subarray(0, 32), msg, sigSecp, opts)).toBe(false);
    expect(verifySignature("secp256k1", secp256k1.getPublicKey(skSecp, false), msg, sigSecp, opts)).toBe(
      false,
    );
    expect(verifySignature("secp256k1", pkSecp, msg, sigSecp.subarray(0, 63), opts)).toBe(false);
    expect(verifySignature("secp256k1", pkSecp, msg, new Uint8Array(64), opts)).toBe(false);
    expect(verifySignature("secp256k1", new Uint8Array(0), msg, new Uint8Array(0), opts)).toBe(false);
    expect(verifySignature("sr25519" as "ed25519", pkEd, msg, sigEd, opts)).toBe(false);
  });
});

describe("secp256k1 backends", () => {
  it("loads libsecp256k1 on this platform (the package ships a linux-x64 binding)", () => {
    expect(secp256k1Backend()).toBe("libsecp256k1");
    expect(nativeSecp256k1).toBeDefined();
  });

  it("agree on valid, tampered and malformed signatures and keys", () => {
    const n = Buffer.from(N.toString(16).padStart(64, "0"), "hex");
    let valid = 0;
    for (let i = 0; i < 200; i++) {
      const sk = secp256k1.utils.randomSecretKey();
      const pk = secp256k1.getPublicKey(sk, true);
      const m = new TextEncoder().encode(`doc ${i}`);
      const sig = secp256k1.sign(m, sk);
      const variants: Array<[Uint8Array, Uint8Array]> = [[pk, sig]];
      const flipped = new Uint8Array(sig);
      flipped[i % 64] = flipped[i % 64]! ^ (1 << (i % 8));
      variants.push([pk, flipped]);
      const rAtN = new Uint8Array(sig);
      rAtN.set(n, 0); // r = n: not a valid scalar
      variants.push([pk, rAtN]);
      const zeroS = new Uint8Array(sig);
      zeroS.fill(0, 32);
      variants.push([pk, zeroS]);
      const badKey = new Uint8Array(pk);
      badKey[1 + (i % 32)] = badKey[1 + (i % 32)]! ^ 0x55; // usually off the curve
      variants.push([badKey, sig]);
      variants.push([Uint8Array.of(i % 2 ? 0x04 : 0x05, ...pk.subarray(1)), sig]);
      for (const [key, s] of variants) {
        const a = verifySignature("secp256k1", key, m, s, { native: nativeSecp256k1 ?? null });
        const b = verifySignature("secp256k1", key, m, s, { native: null });
        expect(a).toBe(b);
        if (a) valid++;
      }
    }
    expect(valid).toBeGreaterThanOrEqual(200);
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
