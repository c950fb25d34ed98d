/**
 * Evidence of validator misbehaviour, as CometBFT defines it (tendermint.types.DuplicateVoteEvidence):
 * two votes signed by one validator for the same height, round and type but different blocks.
 * `voteA`/`voteB` are ordered by block id (hash, then encoded part-set header), so one pair of
 * votes always encodes, and hashes, the same way.
 */
import type { Vote } from "../consensus/messages.js";
import { toHex } from "../crypto/hash.js";
import type { Timestamp } from "../types/timestamp.js";

export interface DuplicateVoteEvidence {
  readonly voteA: Vote;
  readonly voteB: Vote;
  /** Total voting power of the validator set at the evidence height. */
  readonly totalVotingPower: bigint;
  /** The offender's voting power at the evidence height. */
  readonly validatorPower: bigint;
  /** Time of the block at the evidence height (not the votes' own timestamps). */
  readonly timestamp: Timestamp;
}

/** The only kind of evidence VIVIM handles (CometBFT's light-client-attack evidence is rejected). */
export type Evidence = DuplicateVoteEvidence;

export type EvidenceInvalidReason =
  /** Bytes that do not decode, or fields out of range. */
  | "malformed"
  | "too_large"
  | "unsupported"
  /** Votes differ in height, round or type. */
  | "vote_mismatch"
  | "address_mismatch"
  /** Both votes are for the same block id: no equivocation. */
  | "same_block"
  /** voteA/voteB not in canonical (block id) order. */
  | "order"
  | "unknown_validator"
  | "index_mismatch"
  | "bad_signature"
  | "power_mismatch"
  | "time_mismatch"
  /** Evidence for a height whose block (or validator set) this node does not have. */
  | "unknown_height"
  | "expired"
  | "committed"
  | "duplicate"
  | "over_max_bytes"
  | "pool_full";

/** Every evidence failure: bad bytes from a peer, bad signatures, bad proposals. */
export class EvidenceInvalidError extends Error {
  readonly code = "EVIDENCE_INVALID";
  constructor(
    readonly reason: EvidenceInvalidReason,
    detail: string,
  ) {
    super(`invalid evidence (${reason}): ${detail}`);
    this.name = "EvidenceInvalidError";
  }
}

export function evidenceHeight(ev: DuplicateVoteEvidence): bigint {
  return ev.voteA.height;
}

/**
 * The offence an evidence item proves: one validator, one (height, round, vote type). Different
 * vote pairs for one offence (a validator that signed three blocks gives three pairs) are the
 * same offence: it is recorded and acted on once.
 */
export function offenceKey(ev: DuplicateVoteEvidence): string {
  return voteOffenceKey(ev.voteA);
}

/** The offence a conflicting vote belongs to (see `offenceKey`). */
export function voteOffenceKey(v: Vote): string {
  return `${toHex(v.validatorAddress)}/${v.height}/${v.round}/${v.type}`;
}
