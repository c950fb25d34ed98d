/**
 * The evidence pool (CometBFT evidence/pool.go): verified evidence waiting to be put in a block.
 *
 * - `addFromConsensus(first, second, validators)`: the state machine's `equivocation` action. Votes
 *   of the height being decided wait until that block commits (evidence carries the time of the
 *   block at its height), then become evidence at `markCommitted`.
 * - `addFromPeer(ev)`: gossiped evidence, verified before it is kept; duplicates, expired and
 *   already committed evidence are ignored.
 * - `pending(maxBytes)`: what a proposer puts in its block, oldest first.
 * - `checkProposed(evidence)`: whether a proposed block's evidence is acceptable.
 * - `markCommitted(height, time, evidence)`: after every committed block.
 *
 * In memory only. Which offences are already committed is chain state (contracts/evidence), read
 * through `isCommitted`, so a restarted node still refuses to commit an offence twice; pending
 * evidence lost in a restart is gossiped again by peers, or simply expires.
 */

import type { Vote } from "../consensus/messages.js";
import type { ValidatorSet } from "../consensus/validator-set.js";
import { toHex } from "../crypto/hash.js";
import { compareTimestamps, type Timestamp } from "../types/timestamp.js";
import { evidenceHash, evidenceItemSize, validateDuplicateVoteEvidenceBasic } from "./codec.js";
import {
  type DuplicateVoteEvidence,
  EvidenceInvalidError,
  evidenceHeight,
  offenceKey,
  voteOffenceKey,
} from "./types.js";
import { makeDuplicateVoteEvidence, verifyDuplicateVoteEvidence } from "./verify.js";

/** `consensus_params.evidence` of genesis.json, parsed. */
export interface EvidenceParams {
  /** Evidence older than this many blocks *and* `maxAgeDurationNs` is expired (CometBFT). */
  readonly maxAgeNumBlocks: bigint;
  readonly maxAgeDurationNs: bigint;
  /** Total bytes of evidence one block may carry. */
  readonly maxBytes: number;
}

export function evidenceParamsFromGenesis(p: {
  readonly max_age_num_blocks: string;
  readonly max_age_duration: string;
  readonly max_bytes: string;
}): EvidenceParams {
  return {
    maxAgeNumBlocks: BigInt(p.max_age_num_blocks),
    maxAgeDurationNs: BigInt(p.max_age_duration),
    maxBytes: Number(p.max_bytes),
  };
}

export interface LatestBlock {
  readonly height: bigint;
  readonly time: Timestamp;
}

export interface EvidencePoolDeps {
  readonly chainId: string;
  readonly params: EvidenceParams;
  /** The last committed block when the pool is created (height 0 and genesis time before block 1). */
  readonly latest: LatestBlock;
  /** The validator set that signed at `height`; undefined if this node does not know it. */
  validatorSetAt(height: bigint): ValidatorSet | undefined;
  /** Time of the committed block at `height`; undefined if there is none (yet). */
  blockTimeAt(height: bigint): Timestamp | undefined;
  /** Whether chain state already records the offence (`hasEvidence` from contracts/evidence). */
  isCommitted(ev: DuplicateVoteEvidence): boolean;
  /** Most pending items kept (default 10,000); more is refused with reason `pool_full`. */
  readonly maxPending?: number;
}

export type AddEvidenceOutcome =
  /** Verified and pending: gossip it. */
  | "added"
  /** Conflicting votes of a height not committed yet: evidence once it commits. */
  | "buffered"
  /** The same offence is already pending. */
  | "duplicate"
  | "committed"
  | "expired";

interface PendingEvidence {
  readonly ev: DuplicateVoteEvidence;
  readonly hashHex: string;
  readonly size: number;
}

interface BufferedVotes {
  readonly first: Vote;
  readonly second: Vote;
  readonly validators: ValidatorSet;
}

const DEFAULT_MAX_PENDING = 10_000;
const MAX_BUFFERED = 1_000;

function nanosBetween(later: Timestamp, earlier: Timestamp): bigint {
  return (later.seconds - earlier.seconds) * 1_000_000_000n + BigInt(later.nanos - earlier.nanos);
}

export class EvidencePool {
  private latest: LatestBlock;
  /** Pending evidence by offence (validator, height, round, type). */
  private readonly pendingByOffence = new Map<string, PendingEvidence>();
  /** Offences committed while this pool ran (state is the authority; this saves a lookup). */
  private readonly committed = new Map<string, bigint>();
  private buffered = new Map<string, BufferedVotes>();
  private readonly maxPending: number;

  constructor(private readonly deps: EvidencePoolDeps) {
    this.latest = deps.latest;
    this.maxPending = deps.maxPending ?? DEFAULT_MAX_PENDING;
  }

  /** Number of pending evidence items. */
  get size(): number {
    return this.pendingByOffence.size;
  }

  /** Conflicting votes waiting for their height to commit. */
  get bufferedCount(): number {
    return this.buffered.size;
  }

  get latestHeight(): bigint {
    return this.latest.height;
  }

  /**
   * Our own detection: the state machine saw `first` and then `second` from one validator.
   * `validators` is the set of the votes' height. Throws EvidenceInvalidError if the votes are not
   * a valid double sign (e.g. a forged signature from a peer).
   */
  addFromConsensus(first: Vote, second: Vote, validators: ValidatorSet): AddEvidenceOutcome {
    if (first.height > this.latest.height) {
      // The evidence time is the time of the block at this height: wait for it to commit.
      const key = voteOffenceKey(first);
      if (this.buffered.has(key)) return "duplicate";
      if (this.buffered.size >= MAX_BUFFERED)
        throw new EvidenceInvalidError("pool_full", "too many conflicting votes waiting for their block");
      this.buffered.set(key, { first, second, validators });
      return "buffered";
    }
    const time = this.deps.blockTimeAt(first.height);
    if (!time) throw new EvidenceInvalidError("unknown_height", `no block at height ${first.height}`);
    return this.addVotes(first, second, validators, time);
  }

  private addVotes(first: Vote, second: Vote, validators: ValidatorSet, time: Timestamp): AddEvidenceOutcome {
    const ev = makeDuplicateVoteEvidence(first, second, time, validators);
    const skip = this.skipReason(ev);
    if (skip) return skip;
    verifyDuplicateVoteEvidence(this.deps.chainId, validators, ev);
    this.insert(ev);
    return "added";
  }

  /**
   * Evidence gossiped by a peer (decoded with `decodeEvidence`). Verified against the validator
   * set and block time of its height before it is kept; throws EvidenceInvalidError when invalid.
   */
  addFromPeer(ev: DuplicateVoteEvidence): AddEvidenceOutcome {
    validateDuplicateVoteEvidenceBasic(ev);
    const skip = this.skipReason(ev);
    if (skip) return skip;
    this.verifyAtHeight(ev);
    this.insert(ev);
    return "added";
  }

  /**
   * Evidence for the next block, oldest first (then by hash), at most `maxBytes` (and the
   * consensus `max_bytes`) in total, as EvidenceList items count.
   */
  pending(maxBytes: number = this.deps.params.maxBytes): DuplicateVoteEvidence[] {
    const budget = Math.min(maxBytes, this.deps.params.maxBytes);
    const items = [...this.pendingByOffence.values()]
      .filter((p) => !this.isExpired(p.ev) && !this.isCommitted(p.ev))
      .sort((a, b) => {
        const ha = evidenceHeight(a.ev);
        const hb = evidenceHeight(b.ev);
        if (ha !== hb) return ha < hb ? -1 : 1;
        return a.hashHex < b.hashHex ? -1 : a.hashHex > b.hashHex ? 1 : 0;
      });
    const out: DuplicateVoteEvidence[] = [];
    let used = 0;
    for (const p of items) {
      if (used + p.size > budget) break;
      used += p.size;
      out.push(p.ev);
    }
    return out;
  }

  /**
   * Checks the evidence of a proposed block (the block after the last committed one): total size
   * within `max_bytes`, no offence twice, none already committed, none expired or from an
   * uncommitted height, each valid. Throws EvidenceInvalidError: the proposal is invalid.
   * Evidence that passes and was not pending is added to the pool.
   */
  checkProposed(evidence: readonly DuplicateVoteEvidence[]): void {
    const seen = new Set<string>();
    let bytes = 0;
    const fresh: DuplicateVoteEvidence[] = [];
    for (const ev of evidence) {
      validateDuplicateVoteEvidenceBasic(ev);
      const key = offenceKey(ev);
      if (seen.has(key))
        throw new EvidenceInvalidError("duplicate", `offence ${key} appears twice in the block`);
      seen.add(key);
      bytes += evidenceItemSize(ev);
      if (bytes > this.deps.params.maxBytes) {
        throw new EvidenceInvalidError(
          "over_max_bytes",
          `evidence exceeds max_bytes ${this.deps.params.maxBytes}`,
        );
      }
      if (this.isCommitted(ev))
        throw new EvidenceInvalidError("committed", `offence ${key} is already committed`);
      if (evidenceHeight(ev) > this.latest.height)
        throw new EvidenceInvalidError(
          "unknown_height",
          `evidence from uncommitted height ${evidenceHeight(ev)}`,
        );
      if (this.isExpired(ev))
        throw new EvidenceInvalidError("expired", `evidence for offence ${key} is expired`);
      const pending = this.pendingByOffence.get(key);
      if (pending && pending.hashHex === toHex(evidenceHash(ev))) continue; // verified when it was added
      this.verifyAtHeight(ev);
      fresh.push(ev);
    }
    for (const ev of fresh) if (!this.pendingByOffence.has(offenceKey(ev))) this.insertIfRoom(ev);
  }

  /**
   * Call after every committed block (our own and synced ones), with the evidence it carried:
   * that evidence leaves the pool, conflicting votes of this height become evidence, and expired
   * evidence is dropped.
   */
  markCommitted(height: bigint, time: Timestamp, evidence: readonly DuplicateVoteEvidence[]): void {
    this.latest = { height, time };
    for (const ev of evidence) {
      const key = offenceKey(ev);
      this.pendingByOffence.delete(key);
      this.committed.set(key, evidenceHeight(ev));
    }
    const waiting = this.buffered;
    this.buffered = new Map();
    for (const [key, b] of waiting) {
      if (b.first.height > height) {
        this.buffered.set(key, b);
        continue;
      }
      const blockTime = b.first.height === height ? time : this.deps.blockTimeAt(b.first.height);
      if (!blockTime) continue;
      try {
        this.addVotes(b.first, b.second, b.validators, blockTime);
      } catch {
        // Not a valid double sign after all (e.g. a peer's forged vote): nothing to keep.
      }
    }
    for (const [key, p] of this.pendingByOffence) if (this.isExpired(p.ev)) this.pendingByOffence.delete(key);
    for (const [key, h] of this.committed) {
      if (this.latest.height - h > this.deps.params.maxAgeNumBlocks) this.committed.delete(key);
    }
  }

  private skipReason(ev: DuplicateVoteEvidence): AddEvidenceOutcome | undefined {
    if (this.pendingByOffence.has(offenceKey(ev))) return "duplicate";
    if (this.isCommitted(ev)) return "committed";
    if (evidenceHeight(ev) <= this.latest.height && this.isExpired(ev)) return "expired";
    return undefined;
  }

  private isCommitted(ev: DuplicateVoteEvidence): boolean {
    return this.committed.has(offenceKey(ev)) || this.deps.isCommitted(ev);
  }

  /** CometBFT: expired once older than max_age_num_blocks *and* max_age_duration. */
  private isExpired(ev: DuplicateVoteEvidence): boolean {
    const ageBlocks = this.latest.height - evidenceHeight(ev);
    const ageNs = nanosBetween(this.latest.time, ev.timestamp);
    return ageBlocks > this.deps.params.maxAgeNumBlocks && ageNs > this.deps.params.maxAgeDurationNs;
  }

  /** Full verification against what this node knows of the evidence height. */
  private verifyAtHeight(ev: DuplicateVoteEvidence): void {
    const height = evidenceHeight(ev);
    if (height > this.latest.height)
      throw new EvidenceInvalidError("unknown_height", `evidence from uncommitted height ${height}`);
    const validators = this.deps.validatorSetAt(height);
    if (!validators)
      throw new EvidenceInvalidError("unknown_height", `no validator set for height ${height}`);
    const blockTime = this.deps.blockTimeAt(height);
    if (!blockTime) throw new EvidenceInvalidError("unknown_height", `no block at height ${height}`);
    if (compareTimestamps(blockTime, ev.timestamp) !== 0) {
      throw new EvidenceInvalidError(
        "time_mismatch",
        "evidence has a different time to the block it is associated with",
      );
    }
    verifyDuplicateVoteEvidence(this.deps.chainId, validators, ev);
  }

  private insert(ev: DuplicateVoteEvidence): void {
    if (this.pendingByOffence.size >= this.maxPending)
      throw new EvidenceInvalidError("pool_full", `evidence pool holds ${this.maxPending} items`);
    this.insertIfRoom(ev);
  }

  private insertIfRoom(ev: DuplicateVoteEvidence): void {
    if (this.pendingByOffence.size >= this.maxPending) return;
    this.pendingByOffence.set(offenceKey(ev), {
      ev,
      hashHex: toHex(evidenceHash(ev)),
      size: evidenceItemSize(ev),
    });
  }
}
