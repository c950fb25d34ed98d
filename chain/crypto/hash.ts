import { createHash, hash } from "node:crypto";

/** sha256 via the one-shot `crypto.hash` (the fastest path for small inputs on Node 20, see limits.md). */
export function sha256(data: Uint8Array): Uint8Array {
  return hash("sha256", data, "buffer");
}

export function ripemd160(data: Uint8Array): Uint8Array {
  return createHash("ripemd160").update(data).digest();
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

export function toHexUpper(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Strict hex decoding: even length, hex digits only (Buffer.from silently truncates otherwise). */
export function fromHex(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw new TypeError("invalid hex string");
  return new Uint8Array(Buffer.from(hex, "hex"));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Strict standard base64 (what CometBFT and cosmjs use); rejects url-safe or garbage input.
 * Node's decoder skips what it does not know, so the input is checked: a string that encodes back
 * to itself is canonical base64 (every broadcast tx, in a fraction of the regex's time on a tx's
 * length); anything else is accepted only if the pattern matches (e.g. non-zero padding bits).
 */
export function fromBase64(b64: string): Uint8Array {
  const decoded = Buffer.from(b64, "base64");
  if (decoded.toString("base64") !== b64 && !BASE64.test(b64)) throw new TypeError("invalid base64 string");
  return new Uint8Array(decoded);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}
