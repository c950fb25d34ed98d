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

export function uint64Bytes(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

export function readUint64(bytes: Uint8Array): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0);
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
