/**
 * The browser build of chain/crypto/hash.ts (same exports, same results), swapped in by
 * vite.config.ts: the contract definitions the app shares with the node (contracts/social/tx.ts and
 * what it imports) reach hash.ts, whose Node version uses node:crypto and Buffer.
 */
import {
  fromBase64 as b64decode,
  toBase64 as b64encode,
  fromHex as hexDecode,
  toHex as hexEncode,
} from "@cosmjs/encoding";
import { ripemd160 as nobleRipemd160 } from "@noble/hashes/legacy.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

export function ripemd160(data: Uint8Array): Uint8Array {
  return nobleRipemd160(data);
}

export function toHex(bytes: Uint8Array): string {
  return hexEncode(bytes);
}

export function toHexUpper(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export function fromHex(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw new TypeError("invalid hex string");
  return hexDecode(hex);
}

export function toBase64(bytes: Uint8Array): string {
  return b64encode(bytes);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function fromBase64(b64: string): Uint8Array {
  if (!BASE64.test(b64)) throw new TypeError("invalid base64 string");
  return b64decode(b64);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
