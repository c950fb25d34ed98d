/**
 * The consensus messages of the height in progress (served to peers that missed some) and a small
 * bounded buffer of messages that arrived one height early (replayed when that height starts).
 */
import { toHex } from "../crypto/hash.js";
import type { Vote } from "./messages.js";
import type { ConsensusMessage, ProposalMessage } from "./wire.js";

/** Validators × rounds × 2 steps stays far below this; beyond it a peer is flooding us. */
const MAX_VOTES_PER_HEIGHT = 20_000;
const MAX_PROPOSALS_PER_HEIGHT = 64;
const MAX_EARLY_MESSAGES = 2_000;

function voteId(v: Vote): string {
  return `${v.type}/${v.round}/${v.validatorIndex}/${toHex(v.blockId.hash)}`;
}

export class HeightMessages {
  private readonly proposalsByRound = new Map<number, ProposalMessage>();
  private readonly votesById = new Map<string, Vote>();
  private early: ConsensusMessage[] = [];

  constructor(public height: bigint) {}

  /** Moves on to `height`: forgets the old height and hands back what arrived early for this one. */
  advance(height: bigint): ConsensusMessage[] {
    this.height = height;
    this.proposalsByRound.clear();
    this.votesById.clear();
    const ready = this.early.filter((m) =>
      m.kind === "vote" ? m.vote.height === height : m.msg.proposal.height === height,
    );
    this.early = [];
    return ready;
  }

  addProposal(msg: ProposalMessage): void {
    if (this.proposalsByRound.size >= MAX_PROPOSALS_PER_HEIGHT) return;
    if (!this.proposalsByRound.has(msg.proposal.round)) this.proposalsByRound.set(msg.proposal.round, msg);
  }

  /** False when the vote was already known (so it need not be processed twice). */
  addVote(vote: Vote): boolean {
    const id = voteId(vote);
    if (this.votesById.has(id) || this.votesById.size >= MAX_VOTES_PER_HEIGHT) return false;
    this.votesById.set(id, vote);
    return true;
  }

  hasVote(vote: Vote): boolean {
    return this.votesById.has(voteId(vote));
  }

  /** A vote of validator `index` for (type, round), whatever block it is for. */
  voteOf(type: Vote["type"], round: number, index: number): Vote | undefined {
    for (const v of this.votesById.values()) {
      if (v.type === type && v.round === round && v.validatorIndex === index) return v;
    }
    return undefined;
  }

  proposalOf(round: number): ProposalMessage | undefined {
    return this.proposalsByRound.get(round);
  }

  /** False when the buffer is full (the message is dropped; catch-up recovers it later). */
  addEarly(m: ConsensusMessage): boolean {
    if (this.early.length >= MAX_EARLY_MESSAGES) return false;
    this.early.push(m);
    return true;
  }

  proposals(): ProposalMessage[] {
    return [...this.proposalsByRound.values()];
  }

  votes(): Vote[] {
    return [...this.votesById.values()];
  }
}
