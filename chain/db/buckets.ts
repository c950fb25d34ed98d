/**
 * One-byte key prefixes of the node database (Lodestar's bucket scheme). Heights are 8-byte
 * big-endian so LevelDB's key order is numeric order. Never reuse or renumber a bucket.
 */
export enum Bucket {
  /** Node metadata: latest committed height, genesis app hash. */
  meta = 0x00,
  /** Latest value of every state key (flat, for fast reads). */
  stateValue = 0x01,
  /** Authenticated state tree nodes by hash. */
  treeNode = 0x02,
  /** Block bytes by height. */
  block = 0x03,
  /** Height by block hash. */
  blockByHash = 0x04,
  /** The +2/3 precommits this node saw for the block at a height. */
  seenCommit = 0x05,
  /** (height, index) by tx hash. */
  txLocation = 0x06,
  /** Tx result by (height, index). */
  txResult = 0x07,
  /** Event attribute index: (type.key, value, height, index) → empty. */
  eventIndex = 0x08,
  /** Validator set in force at a height. */
  validatorSet = 0x09,
  /** Events of a block emitted outside any tx (end-block hooks), by height. */
  blockEvents = 0x0a,
}

export function heightKey(bucket: Bucket, height: bigint): Uint8Array {
  const out = new Uint8Array(9);
  out[0] = bucket;
  new DataView(out.buffer).setBigUint64(1, height);
  return out;
}

export function readHeight(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
}

export function prefixed(bucket: Bucket, ...parts: Uint8Array[]): Uint8Array {
  let length = 1;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  out[0] = bucket;
  let offset = 1;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The smallest key greater than every key starting with `prefix` (for exclusive range ends). */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  const out = Uint8Array.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i]! += 1;
      return out.subarray(0, i + 1);
    }
  }
  return new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
}
