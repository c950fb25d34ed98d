/**
 * The sync protocol's messages. A request names a height range (`count` 0 asks only for status) and
 * whether the peer should also send its messages of the height in progress; the response carries
 * the peer's latest height, committed blocks each with the commit that finalised it, and those
 * messages. Decoding is strict and capped: these bytes come from peers.
 */
import "../codec/writer-alloc.js";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";

export const MAX_SYNC_BLOCKS_PER_REQUEST = 50;
const MAX_REQUEST_BYTES = 64;

export interface SyncRequest {
  readonly fromHeight: bigint;
  readonly count: number;
  readonly wantMessages: boolean;
}

export interface SyncedBlock {
  readonly block: Uint8Array;
  readonly commit: Uint8Array;
}

export interface SyncResponse {
  readonly latestHeight: bigint;
  readonly blocks: readonly SyncedBlock[];
  /** Encoded ProposalMessages and Votes (consensus/wire.ts) of the height in progress. */
  readonly proposals: readonly Uint8Array[];
  readonly votes: readonly Uint8Array[];
}

export class SyncMessageError extends Error {
  readonly code = "SYNC_MESSAGE_INVALID";
  constructor(reason: string) {
    super(`invalid sync message: ${reason}`);
    this.name = "SyncMessageError";
  }
}

export function encodeSyncRequest(r: SyncRequest): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(8).uint64(r.fromHeight);
  w.uint32(16).uint32(r.count);
  if (r.wantMessages) w.uint32(24).bool(true);
  return w.finish();
}

function strictly<T>(bytes: Uint8Array, read: (r: BinaryReader) => T): T {
  try {
    return read(new BinaryReader(bytes));
  } catch (err) {
    if (err instanceof SyncMessageError) throw err;
    throw new SyncMessageError(err instanceof Error ? err.message : "malformed bytes");
  }
}

export function decodeSyncRequest(bytes: Uint8Array): SyncRequest {
  if (bytes.length > MAX_REQUEST_BYTES) throw new SyncMessageError("request too large");
  return strictly(bytes, (r) => {
    let fromHeight = 0n;
    let count = 0;
    let wantMessages = false;
    while (r.pos < bytes.length) {
      const tag = r.uint32();
      if (tag === 8) fromHeight = r.uint64();
      else if (tag === 16) count = r.uint32();
      else if (tag === 24) wantMessages = r.bool();
      else throw new SyncMessageError(`unknown request field ${tag >>> 3}`);
    }
    if (count > MAX_SYNC_BLOCKS_PER_REQUEST) throw new SyncMessageError(`count ${count} is too large`);
    return { fromHeight, count, wantMessages };
  });
}

export function encodeSyncResponse(r: SyncResponse): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(8).uint64(r.latestHeight);
  for (const b of r.blocks) {
    w.uint32(18).fork();
    w.uint32(10).bytes(b.block);
    w.uint32(18).bytes(b.commit);
    w.ldelim();
  }
  for (const p of r.proposals) w.uint32(26).bytes(p);
  for (const v of r.votes) w.uint32(34).bytes(v);
  return w.finish();
}

export function decodeSyncResponse(bytes: Uint8Array): SyncResponse {
  return strictly(bytes, (r) => {
    let latestHeight = 0n;
    const blocks: SyncedBlock[] = [];
    const proposals: Uint8Array[] = [];
    const votes: Uint8Array[] = [];
    while (r.pos < bytes.length) {
      const tag = r.uint32();
      if (tag === 8) latestHeight = r.uint64();
      else if (tag === 18) {
        const end = r.pos + r.uint32();
        let block: Uint8Array | undefined;
        let commit: Uint8Array | undefined;
        while (r.pos < end) {
          const t = r.uint32();
          if (t === 10) block = r.bytes();
          else if (t === 18) commit = r.bytes();
          else throw new SyncMessageError(`unknown block field ${t >>> 3}`);
        }
        if (!block || !commit) throw new SyncMessageError("block without its commit");
        if (blocks.length >= MAX_SYNC_BLOCKS_PER_REQUEST) throw new SyncMessageError("too many blocks");
        blocks.push({ block, commit });
      } else if (tag === 26) proposals.push(r.bytes());
      else if (tag === 34) votes.push(r.bytes());
      else throw new SyncMessageError(`unknown response field ${tag >>> 3}`);
    }
    if (r.pos !== bytes.length) throw new SyncMessageError("truncated");
    return { latestHeight, blocks, proposals, votes };
  });
}
