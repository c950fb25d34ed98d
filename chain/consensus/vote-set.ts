/**
 * Votes of one type for one round, tallied by block hash (nil = ""). A second, different vote from
 * the same validator is equivocation: it is not counted and is handed back as evidence.
 */
import { toHex } from "../crypto/hash.js";
import type { Vote } from "./messages.js";

export const NIL = "";

export function voteKey(vote: Vote): string {
  return toHex(vote.blockId.hash);
}

export type AddVoteResult = { kind: "added" } | { kind: "duplicate" } | { kind: "conflict"; existing: Vote };

export class VoteSet {
  private readonly votes = new Map<number, Vote>();
  private readonly powerByBlock = new Map<string, bigint>();
  private total = 0n;

  add(vote: Vote, power: bigint): AddVoteResult {
    const existing = this.votes.get(vote.validatorIndex);
    if (existing) {
      return voteKey(existing) === voteKey(vote) ? { kind: "duplicate" } : { kind: "conflict", existing };
    }
    this.votes.set(vote.validatorIndex, vote);
    const key = voteKey(vote);
    this.powerByBlock.set(key, (this.powerByBlock.get(key) ?? 0n) + power);
    this.total += power;
    return { kind: "added" };
  }

  powerFor(blockKey: string): bigint {
    return this.powerByBlock.get(blockKey) ?? 0n;
  }

  get totalPower(): bigint {
    return this.total;
  }

  /** The block keys that have any votes, for finding a +2/3 majority. */
  blockKeys(): string[] {
    return [...this.powerByBlock.keys()];
  }

  votesFor(blockKey: string): Vote[] {
    return [...this.votes.values()]
      .filter((v) => voteKey(v) === blockKey)
      .sort((a, b) => a.validatorIndex - b.validatorIndex);
  }
}
