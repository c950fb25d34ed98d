/**
 * Signature verification on the calling thread: secp256k1 with libsecp256k1 when its native binding
 * loads (secp256k1-native.ts), else node:crypto; ed25519 with node:crypto (4-18x faster than @noble
 * on Node 20, limits.md). Parsed KeyObjects are cached per pubkey because parsing costs about half a
 * secp256k1 verify and ~2.5 ed25519 verifies. The worker pool (verify-pool.ts) runs the same
 * algorithm in its own threads; verify-pool.spec.ts checks the two agree.
 *
 * Rules (Cosmos SDK): secp256k1 = ECDSA over sha256(msg), 64-byte r||s, low-S only (s <= n/2, so a
 * signature has a single valid encoding); ed25519 = RFC 8032 over msg, 64 bytes.
 */
import { createPublicKey, ECDH, type KeyObject, verify } from "node:crypto";
import type { PubKeyType } from "./address.js";
import { sha256 } from "./hash.js";
import { activeNativeSecp256k1, type NativeSecp256k1 } from "./secp256k1-native.js";

/** secp256k1 group order n, halved (floor), big-endian. */
const SECP256K1_HALF_N = Buffer.from(
  "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0",
  "hex",
);

const SIGNATURE_BYTES = 64;

/** True when the big-endian 32-byte s at sig[32..64] exceeds n/2. */
export function isHighS(sig: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const a = sig[32 + i]!;
    const b = SECP256K1_HALF_N[i]!;
    if (a !== b) return a > b;
  }
  return false;
}

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** Builds a KeyObject from raw pubkey bytes; null when the bytes are not a valid key. */
export function parsePublicKey(type: PubKeyType, pubkey: Uint8Array): KeyObject | null {
  try {
    if (type === "secp256k1") {
      if (pubkey.length !== 33 || (pubkey[0] !== 2 && pubkey[0] !== 3)) return null;
      // Throws when the point is not on the curve.
      const full = ECDH.convertKey(pubkey, "secp256k1", undefined, undefined, "uncompressed") as Buffer;
      return createPublicKey({
        key: {
          kty: "EC",
          crv: "secp256k1",
          x: b64url(full.subarray(1, 33)),
          y: b64url(full.subarray(33, 65)),
        },
        format: "jwk",
      });
    }
    if (type === "ed25519") {
      if (pubkey.length !== 32) return null;
      return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64url(pubkey) }, format: "jwk" });
    }
    return null;
  } catch {
    return null;
  }
}

/** A small LRU (Map keeps insertion order). Invalid keys are cached too, as null, so junk is parsed once. */
export class KeyCache {
  private readonly map = new Map<string, KeyObject | null>();

  constructor(private readonly capacity = 4096) {}

  get(type: PubKeyType, pubkey: Uint8Array): KeyObject | null {
    const id = type + Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.byteLength).toString("base64");
    const hit = this.map.get(id);
    if (hit !== undefined) {
      this.map.delete(id);
      this.map.set(id, hit);
      return hit;
    }
    const key = parsePublicKey(type, pubkey);
    if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(id, key);
    return key;
  }

  get size(): number {
    return this.map.size;
  }
}

const defaultCache = new KeyCache();

/** libsecp256k1's verify of a low-S signature over sha256(signBytes); false for any malformed input. */
function verifySecp256k1Native(
  native: NativeSecp256k1,
  pubkey: Uint8Array,
  signBytes: Uint8Array,
  sig64: Uint8Array,
): boolean {
  // The same key rule as parsePublicKey: a compressed point only.
  if (pubkey.length !== 33 || (pubkey[0] !== 2 && pubkey[0] !== 3)) return false;
  try {
    return native.ecdsaVerify(sig64, sha256(signBytes), pubkey);
  } catch {
    // The binding throws on an unparsable signature (r or s >= n) or a point off the curve.
    return false;
  }
}

export interface VerifyOptions {
  cache?: KeyCache;
  /** The secp256k1 implementation: the process's selected one (native when loaded), or null for node:crypto. */
  native?: NativeSecp256k1 | null;
}

/** Never throws: garbage keys, signatures or types yield false. */
export function verifySignature(
  type: PubKeyType,
  pubkey: Uint8Array,
  signBytes: Uint8Array,
  sig64: Uint8Array,
  opts: VerifyOptions = {},
): boolean {
  if (sig64.length !== SIGNATURE_BYTES) return false;
  if (type !== "secp256k1" && type !== "ed25519") return false;
  if (type === "secp256k1" && isHighS(sig64)) return false;
  const native = opts.native === undefined ? activeNativeSecp256k1() : opts.native;
  if (type === "secp256k1" && native) return verifySecp256k1Native(native, pubkey, signBytes, sig64);
  const key = (opts.cache ?? defaultCache).get(type, pubkey);
  if (key === null) return false;
  try {
    return type === "secp256k1"
      ? verify("sha256", signBytes, { key, dsaEncoding: "ieee-p1363" }, sig64)
      : verify(null, signBytes, key, sig64);
  } catch {
    return false;
  }
}
