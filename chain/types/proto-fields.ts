/**
 * Canonical protobuf encodings of the two messages every consensus structure embeds:
 * google.protobuf.Timestamp and tendermint.types.BlockId. One home for them, so headers, commits,
 * votes, proposals and evidence all hash over the same bytes (zero fields omitted; the part-set
 * header only when it is set). The readers are lenient (unknown fields skipped); callers that take
 * peer bytes check shapes afterwards.
 */
import type { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { type BlockId, EMPTY_HASH } from "./block.js";
import type { Timestamp } from "./timestamp.js";

export function writeTimestamp(w: BinaryWriter, t: Timestamp): void {
  if (t.seconds !== 0n) w.uint32(8).int64(t.seconds);
  if (t.nanos !== 0) w.uint32(16).int32(t.nanos);
}

export function readTimestamp(r: BinaryReader, length: number): Timestamp {
  const end = r.pos + length;
  let seconds = 0n;
  let nanos = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) seconds = r.int64();
    else if (tag >>> 3 === 2) nanos = r.int32();
    else r.skipType(tag & 7);
  }
  return { seconds, nanos };
}

/** tendermint.types.PartSetHeader's fields (no length prefix). */
export function writePartSetHeader(w: BinaryWriter, total: number, hash: Uint8Array): void {
  if (total !== 0) w.uint32(8).uint32(total);
  if (hash.length > 0) w.uint32(18).bytes(hash);
}

export function writeBlockId(w: BinaryWriter, id: BlockId): void {
  if (id.hash.length > 0) w.uint32(10).bytes(id.hash);
  if (id.parts.total !== 0 || id.parts.hash.length > 0) {
    w.uint32(18).fork();
    writePartSetHeader(w, id.parts.total, id.parts.hash);
    w.ldelim();
  }
}

export function readBlockId(r: BinaryReader, length: number): BlockId {
  const end = r.pos + length;
  let hash: Uint8Array = EMPTY_HASH;
  let total = 0;
  let partsHash: Uint8Array = EMPTY_HASH;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) hash = r.bytes();
    else if (tag >>> 3 === 2) {
      const pend = r.pos + r.uint32();
      while (r.pos < pend) {
        const t2 = r.uint32();
        if (t2 >>> 3 === 1) total = r.uint32();
        else if (t2 >>> 3 === 2) partsHash = r.bytes();
        else r.skipType(t2 & 7);
      }
    } else r.skipType(tag & 7);
  }
  return { hash, parts: { total, hash: partsHash } };
}
