/**
 * Tendermint BFT (Buchman, Kwon, Milosevic 2018, Algorithm 1) for one height, as a pure and
 * deterministic state machine: events in (proposals, votes, timeouts), actions out (propose, vote,
 * schedule a timeout, decide). The driver does all I/O — signing, gossip, timers, execution — so
 * the same machine runs under libp2p in production and under a simulated network in tests.
 *
 * Values are identified by block hash (hex). `valid` for a proposal is decided by the driver
 * (it executes the block) before the proposal is handed in.
 */

import { toHex } from "../crypto/hash.js";
import type { BlockId } from "../types/block.js";
import { type Proposal, SignedMsgType, type Vote } from "./messages.js";
import type { ValidatorSet } from "./validator-set.js";
import { NIL, VoteSet, voteKey } from "./vote-set.js";

export type Step = "propose" | "prevote" | "precommit" | "decided";

export interface TimeoutConfig {
  readonly proposeMs: number;
  readonly proposeDeltaMs: number;
  readonly prevoteMs: number;
  readonly prevoteDeltaMs: number;
  readonly precommitMs: number;
  readonly precommitDeltaMs: number;
}

export type ConsensusEvent =
  | { kind: "proposal"; proposal: Proposal; valid: boolean }
  | { kind: "vote"; vote: Vote }
  | { kind: "timeout"; height: bigint; round: number; step: "propose" | "prevote" | "precommit" };

export type ConsensusAction =
  /** We are the proposer: propose `reuse` (the valid value) or build a new block. */
  | { kind: "propose"; height: bigint; round: number; polRound: number; reuse: BlockId | undefined }
  | {
      kind: "vote";
      type: SignedMsgType.Prevote | SignedMsgType.Precommit;
      height: bigint;
      round: number;
      blockId: BlockId | undefined;
    }
  | {
      kind: "scheduleTimeout";
      height: bigint;
      round: number;
      step: "propose" | "prevote" | "precommit";
      ms: number;
    }
  | { kind: "decide"; height: bigint; round: number; blockId: BlockId; precommits: Vote[] }
  /** +2/3 precommitted a block we do not have (or found invalid): the driver must fetch or halt. */
  | { kind: "missingBlock"; height: bigint; round: number; blockId: BlockId }
  | { kind: "equivocation"; first: Vote; second: Vote };

interface RoundState {
  proposal?: { proposal: Proposal; key: string; valid: boolean };
  readonly prevotes: VoteSet;
  readonly precommits: VoteSet;
  /** Validators heard from in this round (for f+1 round skipping). */
  readonly senders: Set<number>;
  senderPower: bigint;
  prevoteTimeoutScheduled: boolean;
  precommitTimeoutScheduled: boolean;
  polkaHandled: boolean;
}

/** Rounds further ahead than this are ignored: they cannot matter before we skip there anyway. */
const MAX_ROUND_LOOKAHEAD = 100;

export class TendermintMachine {
  round = 0;
  step: Step = "propose";
  private lockedValue: string | undefined;
  private lockedRound = -1;
  private validValue: string | undefined;
  private validRound = -1;
  private readonly rounds = new Map<number, RoundState>();
  private readonly blockIds = new Map<string, BlockId>();
  private actions: ConsensusAction[] = [];

  constructor(
    readonly height: bigint,
    private readonly validators: ValidatorSet,
    /** Our validator index, or -1 for a full node that follows without voting. */
    private readonly selfIndex: number,
    private readonly timeouts: TimeoutConfig,
  ) {}

  /** Starts the height at `round` (0, or later after a restart in the middle of the height). */
  start(round = 0): ConsensusAction[] {
    this.startRound(round);
    return this.drain();
  }

  handle(event: ConsensusEvent): ConsensusAction[] {
    if (this.step === "decided") return [];
    switch (event.kind) {
      case "proposal":
        this.onProposal(event.proposal, event.valid);
        break;
      case "vote":
        this.onVote(event.vote);
        break;
      case "timeout":
        this.onTimeout(event);
        break;
    }
    this.evaluate();
    return this.drain();
  }

  /** The proposer expected for a round of this height. */
  proposerIndex(round: number): number {
    return this.validators.indexOf(this.validators.proposerAt(round).address);
  }

  private drain(): ConsensusAction[] {
    const out = this.actions;
    this.actions = [];
    return out;
  }

  private roundState(round: number): RoundState {
    let rs = this.rounds.get(round);
    if (!rs) {
      rs = {
        prevotes: new VoteSet(),
        precommits: new VoteSet(),
        senders: new Set(),
        senderPower: 0n,
        prevoteTimeoutScheduled: false,
        precommitTimeoutScheduled: false,
        polkaHandled: false,
      };
      this.rounds.set(round, rs);
    }
    return rs;
  }

  private noteSender(round: number, index: number): void {
    const rs = this.roundState(round);
    if (rs.senders.has(index)) return;
    rs.senders.add(index);
    rs.senderPower += this.validators.getByIndex(index)?.votingPower ?? 0n;
  }

  private isTracked(height: bigint, round: number): boolean {
    return height === this.height && round >= 0 && round <= this.round + MAX_ROUND_LOOKAHEAD;
  }

  private onProposal(proposal: Proposal, valid: boolean): void {
    if (!this.isTracked(proposal.height, proposal.round)) return;
    const rs = this.roundState(proposal.round);
    if (rs.proposal) return; // one proposal per round: the driver already checked who signed it
    const key = toHex(proposal.blockId.hash);
    this.blockIds.set(key, proposal.blockId);
    rs.proposal = { proposal, key, valid };
    this.noteSender(proposal.round, this.proposerIndex(proposal.round));
  }

  private onVote(vote: Vote): void {
    if (!this.isTracked(vote.height, vote.round)) return;
    const validator = this.validators.getByIndex(vote.validatorIndex);
    if (!validator) return;
    const rs = this.roundState(vote.round);
    const set = vote.type === SignedMsgType.Prevote ? rs.prevotes : rs.precommits;
    const added = set.add(vote, validator.votingPower);
    if (added.kind === "duplicate") return;
    // A conflicting vote is evidence, and it still counts for its own block (see VoteSet).
    if (added.kind === "conflict")
      this.actions.push({ kind: "equivocation", first: added.existing, second: vote });
    // A vote names a block by hash; the proposal's id (with its part-set header) wins, so a
    // byzantine vote with a made-up part-set header cannot change the id we sign for that hash.
    const key = voteKey(vote);
    if (vote.blockId.hash.length > 0 && !this.blockIds.has(key)) this.blockIds.set(key, vote.blockId);
    this.noteSender(vote.round, vote.validatorIndex);
  }

  private onTimeout(t: { height: bigint; round: number; step: "propose" | "prevote" | "precommit" }): void {
    if (t.height !== this.height || t.round !== this.round) return;
    if (t.step === "propose" && this.step === "propose")
      this.castVote(SignedMsgType.Prevote, undefined, "prevote");
    else if (t.step === "prevote" && this.step === "prevote")
      this.castVote(SignedMsgType.Precommit, undefined, "precommit");
    else if (t.step === "precommit") this.startRound(this.round + 1);
  }

  private startRound(round: number): void {
    this.round = round;
    this.step = "propose";
    if (this.selfIndex >= 0 && this.proposerIndex(round) === this.selfIndex) {
      const reuse = this.validValue !== undefined ? this.blockIds.get(this.validValue) : undefined;
      this.actions.push({
        kind: "propose",
        height: this.height,
        round,
        polRound: reuse ? this.validRound : -1,
        reuse,
      });
    } else {
      this.schedule("propose", this.timeouts.proposeMs + round * this.timeouts.proposeDeltaMs);
    }
  }

  private schedule(step: "propose" | "prevote" | "precommit", ms: number): void {
    this.actions.push({ kind: "scheduleTimeout", height: this.height, round: this.round, step, ms });
  }

  private castVote(
    type: SignedMsgType.Prevote | SignedMsgType.Precommit,
    key: string | undefined,
    next: Step,
  ): void {
    this.step = next;
    if (this.selfIndex < 0) return;
    const blockId = key !== undefined ? this.blockIds.get(key) : undefined;
    this.actions.push({ kind: "vote", type, height: this.height, round: this.round, blockId });
  }

  /** Applies the upon-rules until none fires; each is guarded so the loop terminates. */
  private evaluate(): void {
    for (let guard = 0; guard < 64 && this.step !== "decided"; guard++) {
      if (!this.applyOneRule()) return;
    }
  }

  private applyOneRule(): boolean {
    return (
      this.ruleDecide() ||
      this.ruleSkipRound() ||
      this.ruleProposal() ||
      this.rulePolka() ||
      this.ruleNilPolka() ||
      this.ruleTimeouts()
    );
  }

  private twoThirds(set: VoteSet, key: string): boolean {
    return this.validators.hasTwoThirds(set.powerFor(key));
  }

  /** R7: a proposal and +2/3 precommits for it in any round decide the height. */
  private ruleDecide(): boolean {
    for (const [round, rs] of this.rounds) {
      for (const key of rs.precommits.blockKeys()) {
        if (key === NIL || !this.twoThirds(rs.precommits, key)) continue;
        const blockId = this.blockIds.get(key)!;
        const proposal = [...this.rounds.values()].find((r) => r.proposal?.key === key)?.proposal;
        if (!proposal?.valid) {
          this.actions.push({ kind: "missingBlock", height: this.height, round, blockId });
          this.step = "decided";
          return true;
        }
        this.step = "decided";
        this.actions.push({
          kind: "decide",
          height: this.height,
          round,
          blockId,
          precommits: rs.precommits.votesFor(key),
        });
        return true;
      }
    }
    return false;
  }

  /** R8: f+1 validators already in a later round: skip to it. */
  private ruleSkipRound(): boolean {
    for (const [round, rs] of this.rounds) {
      if (round > this.round && this.validators.hasOneThird(rs.senderPower)) {
        this.startRound(round);
        return true;
      }
    }
    return false;
  }

  /** R1 and R2: prevote on the round's proposal. */
  private ruleProposal(): boolean {
    if (this.step !== "propose") return false;
    const p = this.roundState(this.round).proposal;
    if (!p) return false;
    const vr = p.proposal.polRound;
    if (vr === -1) {
      const ok = p.valid && (this.lockedRound === -1 || this.lockedValue === p.key);
      this.castVote(SignedMsgType.Prevote, ok ? p.key : undefined, "prevote");
      return true;
    }
    if (vr >= 0 && vr < this.round && this.twoThirds(this.roundState(vr).prevotes, p.key)) {
      const ok = p.valid && (this.lockedRound <= vr || this.lockedValue === p.key);
      this.castVote(SignedMsgType.Prevote, ok ? p.key : undefined, "prevote");
      return true;
    }
    return false;
  }

  /** R4: a proposal with +2/3 prevotes in this round: lock and precommit it. */
  private rulePolka(): boolean {
    const rs = this.roundState(this.round);
    const p = rs.proposal;
    if (rs.polkaHandled || !p || !p.valid || this.step === "propose") return false;
    if (!this.twoThirds(rs.prevotes, p.key)) return false;
    rs.polkaHandled = true;
    if (this.step === "prevote") {
      this.lockedValue = p.key;
      this.lockedRound = this.round;
      this.castVote(SignedMsgType.Precommit, p.key, "precommit");
    }
    this.validValue = p.key;
    this.validRound = this.round;
    return true;
  }

  /** R5: +2/3 prevotes for nil: precommit nil. */
  private ruleNilPolka(): boolean {
    if (this.step !== "prevote" || !this.twoThirds(this.roundState(this.round).prevotes, NIL)) return false;
    this.castVote(SignedMsgType.Precommit, undefined, "precommit");
    return true;
  }

  /** R3 and R6: +2/3 of any prevotes / precommits start the step timeouts (once per round). */
  private ruleTimeouts(): boolean {
    const rs = this.roundState(this.round);
    if (
      this.step === "prevote" &&
      !rs.prevoteTimeoutScheduled &&
      this.validators.hasTwoThirds(rs.prevotes.totalPower)
    ) {
      rs.prevoteTimeoutScheduled = true;
      this.schedule("prevote", this.timeouts.prevoteMs + this.round * this.timeouts.prevoteDeltaMs);
      return true;
    }
    if (!rs.precommitTimeoutScheduled && this.validators.hasTwoThirds(rs.precommits.totalPower)) {
      rs.precommitTimeoutScheduled = true;
      this.schedule("precommit", this.timeouts.precommitMs + this.round * this.timeouts.precommitDeltaMs);
      return true;
    }
    return false;
  }
}
