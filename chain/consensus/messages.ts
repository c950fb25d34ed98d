/**
 * Consensus messages and the canonical bytes validators sign: CometBFT's CanonicalVote and
 * CanonicalProposal, with the chain id inside so a signature can never be replayed on another chain.
 */
import { BinaryWriter } from "cosmjs-types/binary";
import type { BlockId } from "../types/block.js";
import { writeBlockId, writeTimestamp } from "../types/proto-fields.js";
import type { Timestamp } from "../types/timestamp.js";

export enum SignedMsgType {
  Prevote = 1,
  Precommit = 2,
  Proposal = 32,
}

export interface Vote {
  readonly type: SignedMsgType.Prevote | SignedMsgType.Precommit;
  readonly height: bigint;
  readonly round: number;
  /** Nil votes carry an empty block id. */
  readonly blockId: BlockId;
  readonly timestamp: Timestamp;
  readonly validatorAddress: Uint8Array;
  readonly validatorIndex: number;
  readonly signature: Uint8Array;
}

export interface Proposal {
  readonly height: bigint;
  readonly round: number;
  /** The round in which the proposed block got a polka, or -1. */
  readonly polRound: number;
  readonly blockId: BlockId;
  readonly timestamp: Timestamp;
  readonly signature: Uint8Array;
}

function sfixed64(w: BinaryWriter, field: number, v: bigint): void {
  if (v !== 0n) w.uint32((field << 3) | 1).sfixed64(v);
}

function embedded(w: BinaryWriter, field: number, write: (w: BinaryWriter) => void): void {
  w.uint32((field << 3) | 2).fork();
  write(w);
  w.ldelim();
}

export function voteSignBytes(
  chainId: string,
  vote: Omit<Vote, "signature" | "validatorAddress" | "validatorIndex">,
): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(8).int32(vote.type);
  sfixed64(w, 2, vote.height);
  sfixed64(w, 3, BigInt(vote.round));
  if (vote.blockId.hash.length > 0) embedded(w, 4, (w2) => writeBlockId(w2, vote.blockId));
  embedded(w, 5, (w2) => writeTimestamp(w2, vote.timestamp));
  w.uint32(50).string(chainId);
  return w.finish();
}

export function proposalSignBytes(chainId: string, p: Omit<Proposal, "signature">): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(8).int32(SignedMsgType.Proposal);
  sfixed64(w, 2, p.height);
  sfixed64(w, 3, BigInt(p.round));
  if (p.polRound !== 0) w.uint32(32).int64(BigInt(p.polRound));
  embedded(w, 5, (w2) => writeBlockId(w2, p.blockId));
  embedded(w, 6, (w2) => writeTimestamp(w2, p.timestamp));
  w.uint32(58).string(chainId);
  return w.finish();
}
