/**
 * One simulated honest validator: the driver around `TendermintMachine` that the real engine is,
 * minus I/O. It runs one machine per height, verifies every message before the machine sees it,
 * signs through the double-sign guard, relays what it accepts (gossip), re-sends what it holds
 * when its round stalls, serves and uses block sync, and waits timeout_commit between heights.
 *
 * A crash loses everything but the committed chain and the guard's last-sign state, as a real node
 * keeps only its fsynced block store and priv_validator_state.json.
 */

import { SignStep } from "../../chain/consensus/last-sign-state.js";
import {
  type Proposal,
  proposalSignBytes,
  SignedMsgType,
  type Vote,
  voteSignBytes,
} from "../../chain/consensus/messages.js";
import {
  type ConsensusAction,
  type ConsensusEvent,
  TendermintMachine,
  type TimeoutConfig,
} from "../../chain/consensus/state-machine.js";
import { toBase64, toHex } from "../../chain/crypto/hash.js";
import { NIL_BLOCK_ID } from "../../chain/types/block.js";
import { timestampFromMs } from "../../chain/types/timestamp.js";
import { blockIsIntact, GENESIS_HASH, makeBlock, type SimBlock, shortHash } from "./blocks.js";
import type { EventQueue } from "./event-queue.js";
import type { ConsensusMonitor } from "./monitor.js";
import type { VirtualNetwork } from "./network.js";
import type { Prng } from "./prng.js";
import { MemorySignGuard } from "./sign-guard.js";
import type { Trace } from "./trace.js";
import type { SimValidatorSets, ValidatorKey } from "./validators.js";
import type { SignatureVerifier } from "./verifier.js";
import {
  type CommittedEntry,
  messageHeight,
  type ProposalMessage,
  SIM_CHAIN_ID,
  type SimMessage,
  type VoteMessage,
} from "./wire.js";

export interface NodeConfig {
  readonly timeouts: TimeoutConfig;
  /** timeout_commit: the pause between deciding a height and starting the next. */
  readonly commitMs: number;
  /** A node whose (height, round, step) has not moved for this long re-sends what it holds. */
  readonly gossipMs: number;
  /** At most one sync request per this interval, and one sync reply per peer. */
  readonly syncRetryMs: number;
}

/** Everything a node shares with the rest of the run. */
export interface NodeEnvironment {
  readonly queue: EventQueue;
  readonly network: VirtualNetwork<SimMessage>;
  readonly sets: SimValidatorSets;
  readonly verifier: SignatureVerifier;
  readonly monitor: ConsensusMonitor;
  readonly trace: Trace;
  readonly config: NodeConfig;
  /** This node's own random stream (block noise, byzantine choices). */
  readonly prng: Prng;
}

/** Messages for a height we are about to start, kept through timeout_commit (bounded). */
const MAX_BUFFERED = 2_000;
/** Committed blocks per sync reply. */
const MAX_SYNC_BATCH = 20;

export class SimNode {
  /** Durable: survives a crash. */
  readonly chain: CommittedEntry[] = [];
  protected readonly guard: MemorySignGuard;

  alive = false;
  /** Bumped on every crash and boot, so timers of an earlier life never fire into this one. */
  private incarnation = 0;
  protected machine: TendermintMachine | undefined;
  /** Signatures of the messages accepted at the current height (gossip dedup). */
  private seen = new Set<string>();
  /** Blocks seen in proposals at the current height, by hash. */
  protected pool = new Map<string, SimBlock>();
  /** The first proposal accepted (or made) per round at the current height. */
  private proposals = new Map<number, ProposalMessage>();
  /**
   * Every vote accepted (or cast) at the current height, by round: what we re-send when stalled,
   * the proof of lock we pass on, and the commit for a block we get late.
   */
  private votes = new Map<number, VoteMessage[]>();
  private buffered: Array<{ from: number; message: SimMessage }> = [];
  /** A block +2/3 precommitted that we do not have yet. */
  private awaiting: { hash: string; round: number } | undefined;
  private lastProgressMark = "";
  private lastSyncRequestAt = Number.NEGATIVE_INFINITY;
  private lastServedAt = new Map<number, number>();
  /** Messages that failed verification (forged, mis-signed, wrong proposer). */
  rejected = 0;

  constructor(
    readonly id: number,
    protected readonly key: ValidatorKey,
    protected readonly env: NodeEnvironment,
  ) {
    this.guard = new MemorySignGuard(key.privateKey);
  }

  /** The committed tip. */
  get tipHeight(): bigint {
    return BigInt(this.chain.length);
  }

  /** The height being decided. */
  get height(): bigint {
    return this.tipHeight + 1n;
  }

  get tipHash(): string {
    return this.chain[this.chain.length - 1]?.block.hash ?? GENESIS_HASH;
  }

  protected get now(): number {
    return this.env.queue.now;
  }

  protected log(text: string): void {
    this.env.trace.add(`n${this.id} ${text}`);
  }

  boot(): void {
    this.alive = true;
    this.incarnation++;
    this.env.network.setDown(this.id, false);
    this.log(`boot at height ${this.height}`);
    this.beginHeight();
    this.scheduleGossip();
  }

  crash(): void {
    this.alive = false;
    this.incarnation++;
    this.env.network.setDown(this.id, true);
    this.machine = undefined;
    this.resetHeightState();
    this.buffered = [];
    this.lastProgressMark = "";
    this.lastSyncRequestAt = Number.NEGATIVE_INFINITY;
    this.lastServedAt = new Map();
    this.log(`CRASH at height ${this.height} (last signed ${this.describeLastSign()})`);
  }

  receive(from: number, message: SimMessage): void {
    if (!this.alive) return;
    switch (message.kind) {
      case "syncRequest":
        this.serveSync(from, message.height);
        return;
      case "syncReply":
        this.applySync(message.entries);
        return;
      default:
        this.onConsensusMessage(from, message);
    }
  }

  /** Runs `work` after `ms` unless this node crashed (or crashed and restarted) meanwhile. */
  protected after(ms: number, work: () => void): void {
    const incarnation = this.incarnation;
    this.env.queue.after(ms, () => {
      if (this.alive && this.incarnation === incarnation) work();
    });
  }

  private describeLastSign(): string {
    const last = this.guard.lastSignState;
    return `${last.height}/${last.round} step ${last.step}`;
  }

  private resetHeightState(): void {
    this.seen = new Set();
    this.pool = new Map();
    this.proposals = new Map();
    this.votes = new Map();
    this.awaiting = undefined;
  }

  private beginHeight(): void {
    const height = this.height;
    this.resetHeightState();
    const machine = new TendermintMachine(
      height,
      this.env.sets.at(height),
      this.id,
      this.env.config.timeouts,
    );
    this.machine = machine;
    // After a crash mid-height, start past the round we last signed in, as the engine does: the
    // guard would refuse the steps we already signed.
    const last = this.guard.lastSignState;
    const round = last.height === height ? last.round + 1 : 0;
    if (round > 0) this.log(`resume height ${height} at round ${round}`);
    this.perform(machine, machine.start(round));
    const buffered = this.buffered;
    this.buffered = [];
    for (const { from, message } of buffered) this.receive(from, message);
  }

  private onConsensusMessage(from: number, message: ProposalMessage | VoteMessage): void {
    const height = messageHeight(message)!;
    if (height < this.height) {
      // The sender is behind: hand it the blocks it is missing.
      this.serveSync(from, height);
      return;
    }
    if (height > this.height) {
      this.requestSync(from);
      return;
    }
    if (!this.machine) {
      if (this.buffered.length < MAX_BUFFERED) this.buffered.push({ from, message });
      return;
    }
    const key = toBase64(message.kind === "vote" ? message.vote.signature : message.proposal.signature);
    if (this.seen.has(key)) return;
    // Marked seen only once verified, so a forged copy cannot shadow the genuine message.
    if (message.kind === "proposal") this.onProposal(from, message, key);
    else this.onVote(from, message, key);
  }

  private onProposal(from: number, message: ProposalMessage, key: string): void {
    const { proposal, block } = message;
    const proposer = this.env.sets.proposer(proposal.height, proposal.round);
    if (
      !blockIsIntact(block) ||
      block.hash !== toHex(proposal.blockId.hash) ||
      !this.env.verifier.proposal(proposal, proposer)
    ) {
      this.reject(from, `proposal ${proposal.height}/${proposal.round}`);
      return;
    }
    this.seen.add(key);
    this.pool.set(block.hash, block);
    if (!this.proposals.has(proposal.round)) this.proposals.set(proposal.round, message);
    this.relay(from, proposer, message);
    if (this.awaiting?.hash === block.hash) {
      this.commitAwaited();
      return;
    }
    this.feed({ kind: "proposal", proposal, valid: this.isValid(block) });
  }

  private onVote(from: number, message: VoteMessage, key: string): void {
    const { vote } = message;
    if (!this.env.verifier.vote(vote, this.env.sets.at(vote.height))) {
      this.reject(from, `vote from validator ${vote.validatorIndex}`);
      return;
    }
    this.seen.add(key);
    this.remember(message);
    this.relay(from, vote.validatorIndex, message);
    this.feed({ kind: "vote", vote });
  }

  private reject(from: number, what: string): void {
    this.rejected++;
    this.log(`reject ${what} via n${from}: bad signature, signer or block`);
  }

  /** What the real driver decides by executing the block: it extends our chain and executes. */
  private isValid(block: SimBlock): boolean {
    return !block.invalid && block.height === this.height && block.parent === this.tipHash;
  }

  private feed(event: ConsensusEvent): void {
    const machine = this.machine;
    if (machine) this.perform(machine, machine.handle(event));
  }

  /** Performs a machine's actions in order; our own proposals and votes are fed back in. */
  private perform(machine: TendermintMachine, actions: ConsensusAction[]): void {
    const todo = [...actions];
    for (let action = todo.shift(); action; action = todo.shift()) {
      // A commit ends the height: whatever the old machine still asked for is moot.
      if (this.machine !== machine || !this.alive) return;
      switch (action.kind) {
        case "propose":
          todo.push(...this.propose(machine, action));
          break;
        case "vote":
          todo.push(...this.vote(machine, action));
          break;
        case "scheduleTimeout": {
          const { height, round, step } = action;
          this.after(action.ms, () => {
            if (this.machine !== machine) return;
            this.log(`timeout ${step} ${height}/${round}`);
            this.perform(machine, machine.handle({ kind: "timeout", height, round, step }));
          });
          break;
        }
        case "decide": {
          const block = this.pool.get(toHex(action.blockId.hash));
          if (!block) throw new Error("the machine decided a block whose proposal it never got");
          this.commit({ block, round: action.round, precommits: action.precommits }, "consensus");
          break;
        }
        case "missingBlock":
          this.onMissingBlock(toHex(action.blockId.hash), action.round);
          break;
        case "equivocation":
          this.log(
            `evidence: validator ${action.first.validatorIndex} double-voted at ` +
              `${action.first.height}/${action.first.round} type ${action.first.type}`,
          );
          this.env.monitor.recordEvidence(this.id, action.first, action.second);
          break;
      }
    }
  }

  protected propose(
    machine: TendermintMachine,
    action: ConsensusAction & { kind: "propose" },
  ): ConsensusAction[] {
    const reused = action.reuse ? this.pool.get(toHex(action.reuse.hash)) : undefined;
    const block = reused ?? this.newBlock(machine.height, action.round, false);
    const unsigned = {
      height: machine.height,
      round: action.round,
      polRound: reused ? action.polRound : -1,
      blockId: block.id,
      timestamp: timestampFromMs(this.now),
    };
    const signature = this.signGuarded(
      unsigned.height,
      unsigned.round,
      SignStep.Propose,
      proposalSignBytes(SIM_CHAIN_ID, unsigned),
    );
    if (!signature) return [];
    const proposal: Proposal = { ...unsigned, signature };
    const message = { kind: "proposal", proposal, block } as const;
    this.log(
      `propose ${unsigned.height}/${unsigned.round} ${shortHash(block.hash)} pol=${unsigned.polRound}`,
    );
    this.pool.set(block.hash, block);
    this.proposals.set(action.round, message);
    this.publish(message, toBase64(signature));
    return machine.handle({ kind: "proposal", proposal, valid: true });
  }

  protected vote(machine: TendermintMachine, action: ConsensusAction & { kind: "vote" }): ConsensusAction[] {
    const vote = this.signVote(action.type, machine.height, action.round, action.blockId);
    if (!vote) return [];
    this.env.monitor.recordHonestVote(vote);
    this.log(`${voteName(vote)} ${vote.height}/${vote.round} ${shortHash(toHex(vote.blockId.hash))}`);
    const message = { kind: "vote", vote } as const;
    this.remember(message);
    this.publish(message, toBase64(vote.signature));
    return machine.handle({ kind: "vote", vote });
  }

  protected newBlock(height: bigint, round: number, invalid: boolean): SimBlock {
    return makeBlock({
      height,
      round,
      proposer: this.id,
      parent: this.tipHash,
      noise: this.env.prng.int(0, 0x7fffffff),
      invalid,
    });
  }

  /** Signs a vote through the guard, or with `sign` when a subclass supplies its own signer. */
  protected signVote(
    type: Vote["type"],
    height: bigint,
    round: number,
    blockId: Vote["blockId"] | undefined,
    sign: (bytes: Uint8Array) => Uint8Array | undefined = (bytes) =>
      this.signGuarded(
        height,
        round,
        type === SignedMsgType.Prevote ? SignStep.Prevote : SignStep.Precommit,
        bytes,
      ),
  ): Vote | undefined {
    const unsigned = {
      type,
      height,
      round,
      blockId: blockId ?? NIL_BLOCK_ID,
      timestamp: timestampFromMs(this.now),
    };
    const signature = sign(voteSignBytes(SIM_CHAIN_ID, unsigned));
    if (!signature) return undefined;
    return { ...unsigned, validatorAddress: this.key.address, validatorIndex: this.id, signature };
  }

  private signGuarded(
    height: bigint,
    round: number,
    step: SignStep,
    bytes: Uint8Array,
  ): Uint8Array | undefined {
    const outcome = this.guard.sign(height, round, step, bytes);
    if (outcome.ok) return outcome.signature;
    this.log(`guard refused: ${outcome.reason}`);
    this.env.monitor.recordRefusedSignature(this.id, outcome.reason, this.now);
    return undefined;
  }

  private remember(message: VoteMessage): void {
    const round = this.votes.get(message.vote.round);
    if (round) round.push(message);
    else this.votes.set(message.vote.round, [message]);
  }

  /** Sends our own new message to everyone. */
  private publish(message: SimMessage, key: string): void {
    this.seen.add(key);
    this.env.network.broadcast(this.id, message);
  }

  /** Gossip: pass an accepted message on to everyone but its sender and its author. */
  protected relay(from: number, author: number, message: SimMessage): void {
    for (let to = 0; to < this.env.network.size; to++)
      if (to !== this.id && to !== from && to !== author) this.env.network.send(this.id, to, message);
  }

  private commit(entry: CommittedEntry, via: string): void {
    this.chain.push(entry);
    this.env.monitor.recordCommit(this.id, entry.block, this.now);
    this.log(`COMMIT ${entry.block.height} ${shortHash(entry.block.hash)} r${entry.round} via ${via}`);
    this.machine = undefined;
    this.awaiting = undefined;
    const committed = this.chain.length;
    this.after(this.env.config.commitMs, () => {
      if (this.chain.length === committed && !this.machine) this.beginHeight();
    });
  }

  private onMissingBlock(hash: string, round: number): void {
    this.awaiting = { hash, round };
    this.log(`missing block ${this.height} ${shortHash(hash)} r${round}: fetching`);
    if (this.pool.has(hash)) {
      this.commitAwaited();
      return;
    }
    this.fetchAwaited();
  }

  /** Asks every peer for the block until it comes (in a late proposal or a sync reply). */
  private fetchAwaited(): void {
    const awaiting = this.awaiting;
    if (!awaiting) return;
    this.lastSyncRequestAt = this.now;
    this.env.network.broadcast(this.id, { kind: "syncRequest", height: this.height });
    this.after(this.env.config.syncRetryMs, () => {
      if (this.awaiting === awaiting) this.fetchAwaited();
    });
  }

  private commitAwaited(): void {
    const { hash, round } = this.awaiting!;
    const block = this.pool.get(hash)!;
    const byValidator = new Map<number, Vote>();
    for (const { vote: v } of this.votes.get(round) ?? [])
      if (
        v.type === SignedMsgType.Precommit &&
        toHex(v.blockId.hash) === hash &&
        !byValidator.has(v.validatorIndex)
      )
        byValidator.set(v.validatorIndex, v);
    const precommits = [...byValidator.values()].sort((a, b) => a.validatorIndex - b.validatorIndex);
    this.commit({ block, round, precommits }, "late block");
  }

  private requestSync(peer: number): void {
    if (this.now - this.lastSyncRequestAt < this.env.config.syncRetryMs) return;
    this.lastSyncRequestAt = this.now;
    this.env.network.send(this.id, peer, { kind: "syncRequest", height: this.height });
  }

  private serveSync(peer: number, fromHeight: bigint): void {
    if (fromHeight > this.tipHeight || fromHeight < 1n) return;
    const last = this.lastServedAt.get(peer) ?? Number.NEGATIVE_INFINITY;
    if (this.now - last < this.env.config.syncRetryMs) return;
    this.lastServedAt.set(peer, this.now);
    const start = Number(fromHeight) - 1;
    this.env.network.send(this.id, peer, {
      kind: "syncReply",
      entries: this.chain.slice(start, start + MAX_SYNC_BATCH),
    });
  }

  /** Commits synced blocks that extend our chain and carry a valid +2/3 commit. */
  private applySync(entries: readonly CommittedEntry[]): void {
    for (const entry of entries) {
      if (entry.block.height !== this.height) continue;
      if (
        !blockIsIntact(entry.block) ||
        entry.block.parent !== this.tipHash ||
        !this.env.verifier.commit(entry, this.env.sets.at(entry.block.height))
      ) {
        this.rejected++;
        this.log(`reject synced block ${entry.block.height} ${shortHash(entry.block.hash)}`);
        return;
      }
      this.commit(entry, "sync");
    }
  }

  private scheduleGossip(): void {
    this.after(this.env.config.gossipMs, () => {
      this.retransmitIfStalled();
      this.scheduleGossip();
    });
  }

  /**
   * Real gossip keeps sending a peer what it lacks (CometBFT's gossipVotesRoutine: the votes of the
   * peer's round from any validator, and the "POL" prevotes behind a re-proposal). Here a node whose
   * round has not moved for a gossip interval re-sends the round's proposal, every vote it holds for
   * this and the previous round, and the prevotes of the proposal's polka round. Re-sending only its
   * own messages is not enough: a vote whose author crashed (and forgot it) and whose one relay was
   * dropped would be missing for good, and without the polka's prevotes an unlocked node can never
   * accept a locked node's re-proposal while the locked node accepts nothing else.
   */
  private retransmitIfStalled(): void {
    const machine = this.machine;
    const mark = machine ? `${machine.height}/${machine.round}/${machine.step}` : "";
    const stalled = machine !== undefined && mark === this.lastProgressMark;
    this.lastProgressMark = mark;
    if (stalled) this.retransmit(machine.round);
  }

  protected retransmit(round: number): void {
    const send = (message: SimMessage) => this.env.network.broadcast(this.id, message);
    for (const r of [round - 1, round]) this.votes.get(r)?.forEach(send);
    const proposal = this.proposals.get(round);
    if (!proposal) return;
    send(proposal);
    const { polRound, blockId } = proposal.proposal;
    if (polRound < 0 || polRound >= round - 1) return;
    const hash = toHex(blockId.hash);
    for (const prevote of this.votes.get(polRound) ?? [])
      if (prevote.vote.type === SignedMsgType.Prevote && toHex(prevote.vote.blockId.hash) === hash)
        send(prevote);
  }
}

export function voteName(vote: Vote): string {
  return vote.type === SignedMsgType.Prevote ? "prevote" : "precommit";
}
