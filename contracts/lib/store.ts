/** Key building and value encoding helpers shared by the modules' stores. */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Joins key parts; variable-length parts must be last or carry their own length. */
export function key(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A one-byte length prefix, so a variable-length part can be followed by more key. */
export function lengthPrefixed(part: Uint8Array): Uint8Array {
  if (part.length > 255) throw new RangeError("key part longer than 255 bytes");
  return key(new Uint8Array([part.length]), part);
}

const TWO_POW_32 = 4294967296;
/** Up to here a uint64 is exact as a Number, which is ~8x cheaper to split than a DataView write. */
const MAX_SAFE_U64 = BigInt(Number.MAX_SAFE_INTEGER);

/** Big-endian uint64, so keys built from ids and heights sort numerically (wraps outside uint64, as DataView). */
export function uint64Bytes(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  if (value >= 0n && value <= MAX_SAFE_U64) {
    const n = Number(value);
    writeUint32(out, 0, Math.floor(n / TWO_POW_32));
    writeUint32(out, 4, n >>> 0);
    return out;
  }
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

function writeUint32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** Reads the big-endian uint64 at the start of `bytes` (at least 8 bytes). */
export function readUint64(bytes: Uint8Array): bigint {
  if (bytes.length < 8) throw new RangeError("uint64 needs 8 bytes");
  const hi = readUint32(bytes, 0);
  const lo = readUint32(bytes, 4);
  // hi < 2^21: the value is below 2^53 and one Number→BigInt conversion is exact.
  return hi < 0x200000 ? BigInt(hi * TWO_POW_32 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * Query indexes (feeds, reverse lists): sub-prefixes from 0xE0 up are stored but not hashed into the
 * app hash; write them from handlers, read them only from queries (chain/state/index-keys.ts).
 */
export { INDEX_SUBPREFIX_START, isIndexKey } from "../../chain/state/index-keys.js";

/** Module key spaces: every module's keys start with its own prefix byte. */
export const ModulePrefix = {
  auth: 0x01,
  bank: 0x02,
  validators: 0x03,
  evidence: 0x04,
  identity: 0x05,
  social: 0x06,
  labels: 0x07,
  reputation: 0x08,
  escrow: 0x09,
  gov: 0x0a,
  /** The on-chain pause switch of the AI service workers. */
  workers: 0x0b,
  /** Checkpoints of other chains and anchors of this one. */
  anchor: 0x0c,
} as const;
