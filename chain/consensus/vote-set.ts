/**
 * Votes of one type for one round, tallied by block hash (nil = "").
 *
 * A second, different vote from the same validator is equivocation: it is handed back as evidence
 * and it also counts for its own block, as in the Tendermint paper, where "2f+1 PREVOTE(id(v))"
 * means 2f+1 validators that sent such a vote. Counting only a validator's first vote splits
 * correct nodes for good: one that saw the equivocator's vote for v first counts a polka for v
 * and locks on it; one that saw its nil vote first can never verify that polka, so it never
 * accepts v re-proposed with it, while the locked node prevotes nothing else — the chain stalls
 * (found by the simulation, test/sim). Counting both is safe: two polkas in one round would need
 * more than a third of the power in both, more than the f byzantine validators have. "Any"
 * tallies (`totalPower`) still count each validator once. (CometBFT gets the same effect by
 * counting a conflicting vote for a block some peer claims +2/3 for, VoteSetMaj23.)
 */
import { toHex } from "../crypto/hash.js";
import type { Vote } from "./messages.js";

export const NIL = "";

/**
 * Distinct blocks counted per validator: bounds what one equivocator can make us store. Two are
 * all an attack needs to split nodes; past this cap the validator is long proven faulty.
 */
const MAX_BLOCKS_PER_VALIDATOR = 8;

export function voteKey(vote: Vote): string {
  return toHex(vote.blockId.hash);
}

export type AddVoteResult = { kind: "added" } | { kind: "duplicate" } | { kind: "conflict"; existing: Vote };

export class VoteSet {
  /** Each validator's votes by block key, its first vote first. */
  private readonly votes = new Map<number, Map<string, Vote>>();
  private readonly powerByBlock = new Map<string, bigint>();
  private total = 0n;

  add(vote: Vote, power: bigint): AddVoteResult {
    const key = voteKey(vote);
    const mine = this.votes.get(vote.validatorIndex);
    if (!mine) {
      this.votes.set(vote.validatorIndex, new Map([[key, vote]]));
      this.count(key, power);
      this.total += power;
      return { kind: "added" };
    }
    if (mine.has(key)) return { kind: "duplicate" };
    const existing = mine.values().next().value!;
    if (mine.size < MAX_BLOCKS_PER_VALIDATOR) {
      mine.set(key, vote);
      this.count(key, power);
    }
    return { kind: "conflict", existing };
  }

  private count(key: string, power: bigint): void {
    this.powerByBlock.set(key, (this.powerByBlock.get(key) ?? 0n) + power);
  }

  powerFor(blockKey: string): bigint {
    return this.powerByBlock.get(blockKey) ?? 0n;
  }

  /** Power of the validators that voted at all (each once, whatever and however often it voted). */
  get totalPower(): bigint {
    return this.total;
  }

  /** The block keys that have any votes, for finding a +2/3 majority. */
  blockKeys(): string[] {
    return [...this.powerByBlock.keys()];
  }

  votesFor(blockKey: string): Vote[] {
    const out: Vote[] = [];
    for (const mine of this.votes.values()) {
      const vote = mine.get(blockKey);
      if (vote) out.push(vote);
    }
    return out.sort((a, b) => a.validatorIndex - b.validatorIndex);
  }
}
