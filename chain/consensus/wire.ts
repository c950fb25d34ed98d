/**
 * Wire encoding of consensus messages (gossip and the consensus WAL). Field numbers follow CometBFT's
 * tendermint.types.Vote and Proposal. Every byte here comes from a peer or from disk, so decoding
 * checks shapes and lengths and fails with one coded error, never with whatever the reader throws.
 */
import "../codec/writer-alloc.js";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { decodeVote as decodeEvidenceVote, encodeVote as encodeEvidenceVote } from "../evidence/codec.js";
import { type BlockId, EMPTY_HASH } from "../types/block.js";
import { readBlockId, readTimestamp, writeBlockId, writeTimestamp } from "../types/proto-fields.js";
import type { Timestamp } from "../types/timestamp.js";
import { type Proposal, SignedMsgType, type Vote } from "./messages.js";

export class WireDecodeError extends Error {
  readonly code = "CONSENSUS_MESSAGE_INVALID";
  constructor(what: string, reason: string) {
    super(`invalid ${what}: ${reason}`);
    this.name = "WireDecodeError";
  }
}

/** A proposal travels with the whole block it proposes (one part: blocks are capped well below gossip limits). */
export interface ProposalMessage {
  readonly proposal: Proposal;
  readonly block: Uint8Array;
}

export type TimeoutStep = "propose" | "prevote" | "precommit";

export interface TimeoutRecord {
  readonly height: bigint;
  readonly round: number;
  readonly step: TimeoutStep;
}

const MAX_ROUND = 1_000_000;
const SIGNATURE_BYTES = 64;
const HASH_BYTES = 32;
const TIMEOUT_STEPS: readonly TimeoutStep[] = ["propose", "prevote", "precommit"];

function field(w: BinaryWriter, n: number, write: (w: BinaryWriter) => void): void {
  w.uint32((n << 3) | 2).fork();
  write(w);
  w.ldelim();
}

/** Votes travel as tendermint.types.Vote, the same bytes evidence carries them in. */
export function encodeVote(v: Vote): Uint8Array {
  return encodeEvidenceVote(v);
}

export function encodeProposalMessage(m: ProposalMessage): Uint8Array {
  const w = BinaryWriter.create();
  field(w, 1, (w2) => {
    const p = m.proposal;
    w2.uint32(8).int32(SignedMsgType.Proposal);
    w2.uint32(16).int64(p.height);
    if (p.round !== 0) w2.uint32(24).int32(p.round);
    if (p.polRound !== 0) w2.uint32(32).int32(p.polRound);
    field(w2, 5, (w3) => writeBlockId(w3, p.blockId));
    field(w2, 6, (w3) => writeTimestamp(w3, p.timestamp));
    w2.uint32(58).bytes(p.signature);
  });
  w.uint32(18).bytes(m.block);
  return w.finish();
}

export function encodeTimeout(t: TimeoutRecord): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(8).int64(t.height);
  if (t.round !== 0) w.uint32(16).int32(t.round);
  w.uint32(24).int32(TIMEOUT_STEPS.indexOf(t.step));
  return w.finish();
}

/** Runs a reader over peer bytes; anything it throws (truncation, bad varints) becomes a coded error. */
function decoding<T>(what: string, bytes: Uint8Array, read: (r: BinaryReader, end: number) => T): T {
  try {
    return read(new BinaryReader(bytes), bytes.length);
  } catch (err) {
    if (err instanceof WireDecodeError) throw err;
    throw new WireDecodeError(what, err instanceof Error ? err.message : "malformed bytes");
  }
}

function checkHeightRound(what: string, height: bigint, round: number): void {
  if (height <= 0n) throw new WireDecodeError(what, "height must be positive");
  if (round < 0 || round > MAX_ROUND) throw new WireDecodeError(what, `round ${round} out of range`);
}

function checkBlockId(what: string, id: BlockId): void {
  if (id.hash.length !== HASH_BYTES || id.parts.hash.length !== HASH_BYTES || id.parts.total !== 1)
    throw new WireDecodeError(what, "malformed block id");
}

export function decodeVote(bytes: Uint8Array): Vote {
  try {
    return decodeEvidenceVote(bytes);
  } catch (err) {
    throw new WireDecodeError("vote", err instanceof Error ? err.message : "malformed bytes");
  }
}

function readProposal(r: BinaryReader, end: number): Proposal {
  let type = 0;
  let height = 0n;
  let round = 0;
  let polRound = 0;
  let blockId: BlockId | undefined;
  let timestamp: Timestamp | undefined;
  let signature: Uint8Array = EMPTY_HASH;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        type = r.int32();
        break;
      case 2:
        height = r.int64();
        break;
      case 3:
        round = r.int32();
        break;
      case 4:
        polRound = r.int32();
        break;
      case 5:
        blockId = readBlockId(r, r.uint32());
        break;
      case 6:
        timestamp = readTimestamp(r, r.uint32());
        break;
      case 7:
        signature = r.bytes();
        break;
      default:
        throw new WireDecodeError("proposal", `unknown field ${tag >>> 3}`);
    }
  }
  if (r.pos !== end) throw new WireDecodeError("proposal", "truncated");
  if (type !== SignedMsgType.Proposal) throw new WireDecodeError("proposal", "wrong message type");
  checkHeightRound("proposal", height, round);
  if (polRound < -1 || polRound >= round) throw new WireDecodeError("proposal", "pol_round out of range");
  if (!blockId) throw new WireDecodeError("proposal", "missing block id");
  checkBlockId("proposal", blockId);
  if (!timestamp) throw new WireDecodeError("proposal", "missing timestamp");
  if (signature.length !== SIGNATURE_BYTES) throw new WireDecodeError("proposal", "malformed signature");
  return { height, round, polRound, blockId, timestamp, signature };
}

export function decodeProposalMessage(bytes: Uint8Array): ProposalMessage {
  return decoding("proposal", bytes, (r, end) => {
    let proposal: Proposal | undefined;
    let block: Uint8Array | undefined;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 10) {
        const len = r.uint32();
        proposal = readProposal(r, r.pos + len);
      } else if (tag === 18) block = r.bytes();
      else throw new WireDecodeError("proposal", `unknown field ${tag >>> 3}`);
    }
    if (!proposal || !block) throw new WireDecodeError("proposal", "missing proposal or block");
    return { proposal, block };
  });
}

export function decodeTimeout(bytes: Uint8Array): TimeoutRecord {
  return decoding("timeout", bytes, (r, end) => {
    let height = 0n;
    let round = 0;
    let step = -1;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 8) height = r.int64();
      else if (tag === 16) round = r.int32();
      else if (tag === 24) step = r.int32();
      else throw new WireDecodeError("timeout", `unknown field ${tag >>> 3}`);
    }
    checkHeightRound("timeout", height, round);
    const name = TIMEOUT_STEPS[step];
    if (!name) throw new WireDecodeError("timeout", "unknown step");
    return { height, round, step: name };
  });
}

/** A proposal or a vote, as the consensus WAL records and early-message buffers hold them. */
export type ConsensusMessage = { kind: "proposal"; msg: ProposalMessage } | { kind: "vote"; vote: Vote };

const PROPOSAL_TAG = 1;
const VOTE_TAG = 2;

export function encodeConsensusMessage(m: ConsensusMessage): Uint8Array {
  const body = m.kind === "proposal" ? encodeProposalMessage(m.msg) : encodeVote(m.vote);
  const out = new Uint8Array(body.length + 1);
  out[0] = m.kind === "proposal" ? PROPOSAL_TAG : VOTE_TAG;
  out.set(body, 1);
  return out;
}

export function decodeConsensusMessage(bytes: Uint8Array): ConsensusMessage {
  const body = bytes.subarray(1);
  if (bytes[0] === PROPOSAL_TAG) return { kind: "proposal", msg: decodeProposalMessage(body) };
  if (bytes[0] === VOTE_TAG) return { kind: "vote", vote: decodeVote(body) };
  throw new WireDecodeError("consensus message", "unknown message tag");
}
