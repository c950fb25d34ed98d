/**
 * The consensus driver: runs one `TendermintMachine` per height and performs its actions — builds
 * and executes proposals, signs votes through the last-sign-state signer, gossips them through the
 * network, runs timers, and commits decided blocks in one atomic, fsynced batch. Peers' proposals
 * and votes come in through `receiveProposal`/`receiveVote` (signatures and blocks checked here),
 * and blocks other nodes already committed through `applyCommittedBlock` (block-sync). A
 * one-validator network goes through exactly this path, with no network.
 */
import { verify } from "node:crypto";
import { EventEmitter } from "node:events";
import { toHex, toHexUpper } from "../crypto/hash.js";
import type { BlockStore } from "../db/block-store.js";
import type { Database } from "../db/database.js";
import type { ValidatorSetStore } from "../db/validator-store.js";
import { encodeEvidenceList } from "../evidence/codec.js";
import type { EvidencePool } from "../evidence/pool.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import type { Application } from "../execution/app.js";
import type { BlockExecution, BlockTx } from "../execution/block-executor.js";
import type { Mempool } from "../mempool/mempool.js";
import type { NodeMetrics } from "../metrics/metrics.js";
import type { Verdict } from "../p2p/verdict.js";
import { type Block, type BlockId, type Commit, NIL_BLOCK_ID, type TxResult } from "../types/block.js";
import { decodeBlock, encodeBlock } from "../types/codec.js";
import { compareTimestamps, type Timestamp, timestampFromMs, timestampToMs } from "../types/timestamp.js";
import type { Logger } from "../util/logger.js";
import { LruCache } from "../util/lru.js";
import { blockIdOf, buildBlock, headerMismatch } from "./block-builder.js";
import { type BlockExpectations, checkBlockHeader, InvalidBlockError } from "./block-checks.js";
import { buildCommit, verifyCommit } from "./commit.js";
import { HeightMessages } from "./height-messages.js";
import { ed25519PublicKey } from "./keys.js";
import { type Proposal, proposalSignBytes, SignedMsgType, type Vote, voteSignBytes } from "./messages.js";
import { CHECK_IN_SHARE, nextHeightDelayMs } from "./next-height.js";
import { SignStep, type ValidatorSigner } from "./signer.js";
import {
  type ConsensusAction,
  type ConsensusEvent,
  TendermintMachine,
  type TimeoutConfig,
} from "./state-machine.js";
import { advanceValidatorSchedule, type ValidatorSchedule } from "./validator-schedule.js";
import type { ValidatorSet } from "./validator-set.js";
import type { ConsensusWal } from "./wal.js";
import { WalRecordKind } from "./wal.js";
import {
  type ConsensusMessage,
  decodeConsensusMessage,
  decodeTimeout,
  encodeConsensusMessage,
  encodeTimeout,
  type ProposalMessage,
} from "./wire.js";

export interface EngineTimeouts extends TimeoutConfig {
  readonly commitMs: number;
  readonly createEmptyBlocks: boolean;
  readonly emptyBlocksIntervalMs: number;
}

/** How the engine reaches its peers; absent on a one-validator network. */
export interface ConsensusNetwork {
  broadcastProposal(msg: ProposalMessage): void;
  broadcastVote(vote: Vote): void;
  /** We lack messages or a committed block for `height`: ask peers for them. */
  requestCatchup(height: bigint): void;
}

export interface ConsensusEngineDeps {
  readonly chainId: string;
  readonly initialHeight: bigint;
  readonly db: Database;
  readonly app: Application;
  readonly blockStore: BlockStore;
  readonly mempool: Mempool;
  /** The validator sets around the next height: who signed the tip, who decides next, and after. */
  readonly validators: ValidatorSchedule;
  readonly validatorStore: ValidatorSetStore;
  readonly signer: ValidatorSigner | undefined;
  readonly timeouts: EngineTimeouts;
  readonly maxBlockBytes: number;
  readonly maxBlockGas: bigint;
  readonly consensusHash: Uint8Array;
  readonly metrics: NodeMetrics;
  readonly logger: Logger;
  /** Double-sign evidence seen by this node, waiting to be included in a block. */
  readonly evidence: EvidencePool;
  /** The consensus write-ahead log (open); absent only in tests that do not restart. */
  readonly wal?: ConsensusWal;
  /** Wall clock for proposal/vote timestamps (outside the deterministic contracts). */
  readonly now?: () => number;
  /** How long a height may stay open before the node asks peers for it; default STALL_CATCHUP_MS. */
  readonly stallCatchupMs?: number;
}

export interface CommittedBlock {
  readonly block: Block;
  readonly blockId: BlockId;
  readonly results: readonly TxResult[];
  readonly txHashes: readonly Uint8Array[];
  readonly endBlockEvents: BlockExecution["endBlockEvents"];
}

interface PreparedBlock {
  readonly block: Block;
  readonly blockId: BlockId;
  readonly exec: BlockExecution;
  /** Time to reap (or decode), verify and execute the block, for the commit log line. */
  readonly buildMs: number;
}

/** Where the last committed block left us: what the next block must point back to. */
interface ChainTip {
  height: bigint;
  time: Timestamp;
  blockId: BlockId;
  commit: Commit;
}

/** How far ahead of our clock a proposer may date its block. */
const MAX_BLOCK_FUTURE_MS = 30_000;
/** While stuck in a height (missing block or messages), ask peers again this often. */
const CATCHUP_RETRY_MS = 1_000;
/** How long a height may stay open before the node asks its peers for the height's messages. */
const STALL_CATCHUP_MS = 10_000;

export class ConsensusEngine extends EventEmitter<{ committed: [CommittedBlock] }> {
  private machine: TendermintMachine | undefined;
  private readonly prepared = new Map<string, PreparedBlock>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private queue: Promise<void> = Promise.resolve();
  /**
   * Settles when the latest decided block's batch is durable (see `finalize`); rejects if the
   * write failed. Signing and the next write wait for it.
   */
  private durable: Promise<void> = Promise.resolve();
  private running = false;
  /**
   * Set by stop(), cleared by start(): a peer's message that arrives in between (gossip still
   * draining, the WAL about to close) is ignored, not logged to a WAL that may be closed.
   */
  private stopped = false;
  private tip: ChainTip;
  private sets: ValidatorSchedule;
  private lastCommitWallMs = 0;
  /** When this node started its current height (performance.now()): timeout_commit counts from it. */
  private heightStarted: { height: bigint; at: number } | undefined;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly messages: HeightMessages;
  private network: ConsensusNetwork | undefined;
  /** Set while waiting between heights; calling it starts the next height at once. */
  private wake: (() => void) | undefined;
  private catchupTimer: NodeJS.Timeout | undefined;
  /** Validator sets of recently committed heights, for verifying evidence about them. */
  private readonly recentSets = new LruCache<bigint, ValidatorSet>(1024);
  /** The first height after a (re)start replays what the WAL holds of it. */
  private replayWal = true;
  /** While replaying, inputs are already in the WAL and must not be appended again. */
  private replaying = false;

  constructor(
    private readonly deps: ConsensusEngineDeps,
    tip: ChainTip,
  ) {
    super();
    this.tip = tip;
    this.sets = deps.validators;
    this.now = deps.now ?? Date.now;
    this.log = deps.logger.child({ component: "consensus" });
    this.messages = new HeightMessages(tip.height + 1n);
  }

  get height(): bigint {
    return this.tip.height;
  }

  /** The validator set that decided a recently committed height (evidence verification). */
  validatorSetOf(height: bigint): ValidatorSet | undefined {
    return this.recentSets.get(height) ?? (height === this.tip.height + 1n ? this.sets.current : undefined);
  }

  get validatorSets(): ValidatorSchedule {
    return this.sets;
  }

  private get selfIndex(): number {
    return this.deps.signer ? this.sets.current.indexOf(this.deps.signer.address) : -1;
  }

  /** Connects the engine to its peers (before `start`). */
  attachNetwork(network: ConsensusNetwork): void {
    this.network = network;
  }

  start(): void {
    this.running = true;
    this.stopped = false;
    this.log.info(
      { height: (this.tip.height + 1n).toString(), validator: this.selfIndex >= 0 },
      "consensus starting",
    );
    this.scheduleNextHeight(0);
  }

  /** Stops timers and waits for any in-flight step (a commit in progress completes). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.stopCatchup();
    this.deps.mempool.removeAllListeners("txAvailable");
    await this.queue;
    await this.durable.catch(() => undefined);
  }

  private enqueue(work: () => Promise<void> | void): void {
    this.queue = this.queue
      .then(async () => {
        if (this.running) await work();
      })
      .catch((err: unknown) => {
        this.log.error({ err }, "consensus step failed; halting consensus to stay safe");
        this.running = false;
      });
  }

  private setTimer(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /**
   * Waits `delayMs` (what is left of timeout_commit, see next-height.ts), then for txs when empty
   * blocks are throttled, then starts the next height. With create_empty_blocks_interval an idle chain still makes a block per interval;
   * a proposal or vote from a peer for the next height also starts it at once. With txs waiting,
   * the height starts once the CheckTx calls already begun have finished (at most a quarter of
   * timeout_commit more): under load their signatures are still being verified on the pool, and a
   * proposal cut before them would leave them all to the block after. The same wait follows the
   * first tx to arrive in an empty mempool.
   */
  private scheduleNextHeight(delayMs: number): void {
    const target = this.tip.height + 1n;
    let started = false;
    const begin = () => {
      if (started) return;
      started = true;
      this.wake = undefined;
      this.deps.mempool.off("txAvailable", beginOnceCheckedIn);
      this.enqueue(() => this.startHeight(target));
    };
    // Once txs are there: start when the checks begun so far have settled, or after the cap.
    const beginOnceCheckedIn = () => {
      this.deps.mempool.off("txAvailable", beginOnceCheckedIn);
      this.setTimer(this.deps.timeouts.commitMs * CHECK_IN_SHARE, begin);
      void this.deps.mempool.checksSettled().then(begin);
    };
    this.setTimer(delayMs, () => {
      const { createEmptyBlocks, emptyBlocksIntervalMs } = this.deps.timeouts;
      if (this.deps.mempool.size > 0) {
        beginOnceCheckedIn();
        return;
      }
      if ((createEmptyBlocks && emptyBlocksIntervalMs === 0) || this.tip.height < this.deps.initialHeight) {
        begin();
        return;
      }
      this.wake = begin;
      // The first tx to arrive is seldom alone: under load, clients' txs come in bursts, and the
      // first one admitted has the rest of its burst still on the verify pool behind it.
      this.deps.mempool.on("txAvailable", beginOnceCheckedIn);
      if (createEmptyBlocks) {
        const waited = this.now() - this.lastCommitWallMs;
        this.setTimer(Math.max(0, emptyBlocksIntervalMs - waited), begin);
      }
    });
  }

  private startHeight(height: bigint): void {
    if (height !== this.tip.height + 1n || this.machine?.height === height) return;
    this.prepared.clear();
    this.heightStarted = { height, at: performance.now() };
    const early = this.messages.advance(height);
    this.machine = new TendermintMachine(height, this.sets.current, this.selfIndex, this.deps.timeouts);
    this.deps.metrics.consensusRounds.inc();
    // After a crash mid-height our signer may already have signed in some round of it; start past
    // that round instead of timing out through steps the signer would refuse.
    const replayed = this.replayWal ? this.walRecordsFor(height) : [];
    this.replayWal = false;
    // After a crash mid-height the WAL brings back what we saw and signed; without it (lost or
    // damaged) our signer may still have signed in some round: start past that round instead of
    // timing out through steps the signer would refuse.
    const last = this.deps.signer?.lastSignState;
    const round = replayed.length === 0 && last && last.height === height ? last.round + 1 : 0;
    this.perform(this.machine.start(round));
    if (replayed.length > 0) this.replay(replayed);
    for (const m of early) this.acceptMessage(m);
    // Gossip is sent once: a node that missed a round's messages (restarted, paused, connected
    // late) can leave every node waiting in a step that has no timer. A height still open after
    // the stall time (STALL_CATCHUP_MS) keeps asking peers for their messages of it until it commits.
    this.setTimer(this.deps.stallCatchupMs ?? STALL_CATCHUP_MS, () => {
      if (this.running && this.tip.height < height) this.startCatchup(height);
    });
  }

  private walRecordsFor(height: bigint) {
    const wal = this.deps.wal;
    if (!wal) return [];
    const replay = wal.readForHeight(height);
    if (replay.corruption)
      this.log.warn(
        { ...replay.corruption },
        "consensus WAL was damaged; replaying what precedes the damage",
      );
    if (replay.records.length > 0)
      this.log.info({ height: height.toString(), records: replay.records.length }, "replaying consensus WAL");
    return replay.records;
  }

  /** Feeds the WAL's records of this height back in; our own messages are sent again (peers may lack them). */
  private replay(records: ReturnType<ConsensusWal["readForHeight"]>["records"]): void {
    this.replaying = true;
    try {
      for (const r of records) {
        if (r.kind === WalRecordKind.Timeout) {
          const t = decodeTimeout(r.payload);
          this.enqueue(() => this.feed({ kind: "timeout", ...t }));
          continue;
        }
        const m = decodeConsensusMessage(r.payload);
        this.acceptMessage(m);
        if (r.kind === WalRecordKind.OwnMessage) {
          if (m.kind === "vote") this.network?.broadcastVote(m.vote);
          else this.network?.broadcastProposal(m.msg);
        }
      }
    } finally {
      this.replaying = false;
    }
  }

  private acceptMessage(m: ConsensusMessage): void {
    if (m.kind === "vote") this.acceptVote(m.vote);
    else this.acceptProposal(m.msg, decodeBlockOrUndefined(m.msg.block));
  }

  /**
   * Our own signed message, before it leaves the process. Buffered, not fsynced: the signer has
   * already fsynced the signature (it alone guards against double-signing), so a crash can cost
   * at most the replay of this message, not safety, and each height saves 2-3 fsyncs per node.
   */
  private logOwn(height: bigint, payload: Uint8Array): void {
    this.deps.wal?.append(WalRecordKind.OwnMessage, height, payload);
  }

  private logToWal(
    kind: WalRecordKind.Message | WalRecordKind.Timeout,
    height: bigint,
    payload: Uint8Array,
  ): void {
    if (!this.replaying) this.deps.wal?.append(kind, height, payload);
  }

  private feed(event: ConsensusEvent): void {
    if (!this.machine) return;
    this.perform(this.machine.handle(event));
  }

  private perform(actions: ConsensusAction[]): void {
    for (const action of actions) {
      switch (action.kind) {
        case "propose":
          this.enqueue(() => this.propose(action.height, action.round, action.polRound, action.reuse));
          break;
        case "vote":
          this.enqueue(() => this.castVote(action.type, action.height, action.round, action.blockId));
          break;
        case "scheduleTimeout":
          this.setTimer(action.ms, () =>
            this.enqueue(() => {
              if (this.machine?.height === action.height)
                this.logToWal(WalRecordKind.Timeout, action.height, encodeTimeout(action));
              this.feed({ kind: "timeout", height: action.height, round: action.round, step: action.step });
              // A timeout means something did not arrive in time: peers may have what we missed.
              if (this.machine?.height === action.height) this.network?.requestCatchup(action.height);
            }),
          );
          break;
        case "decide":
          this.enqueue(() => this.commitDecided(action.blockId, action.round, action.precommits));
          break;
        case "missingBlock":
          // +2/3 precommitted a block we do not have: peers that committed it will serve it.
          this.log.warn(
            { height: action.height.toString(), round: action.round, block: toHexUpper(action.blockId.hash) },
            "+2/3 precommitted a block we do not have; fetching it from peers",
          );
          this.startCatchup(action.height);
          break;
        case "equivocation":
          try {
            this.deps.evidence.addFromConsensus(action.first, action.second, this.sets.current);
          } catch (err) {
            this.log.warn({ err }, "could not turn an equivocation into evidence");
          }
          this.log.warn(
            {
              height: action.first.height.toString(),
              round: action.first.round,
              validatorIndex: action.first.validatorIndex,
            },
            "validator equivocated",
          );
          break;
      }
    }
  }

  private startCatchup(height: bigint): void {
    this.stopCatchup();
    const ask = () => {
      if (!this.running || this.tip.height >= height) return;
      this.network?.requestCatchup(height);
      this.catchupTimer = setTimeout(ask, CATCHUP_RETRY_MS);
    };
    ask();
  }

  private stopCatchup(): void {
    if (this.catchupTimer) clearTimeout(this.catchupTimer);
    this.catchupTimer = undefined;
  }

  // ------------------------------------------------------------------ proposing and voting

  private nextBlockTime(): Timestamp {
    // Monotonic block time: never before the previous block, even if the wall clock steps back.
    const now = timestampFromMs(this.now());
    const floor = timestampFromMs(timestampToMs(this.tip.time) + 1);
    return compareTimestamps(now, floor) > 0 ? now : floor;
  }

  private async buildProposalBlock(height: bigint): Promise<PreparedBlock> {
    const buildStarted = performance.now();
    const evidence = this.deps.evidence.pending();
    const evidenceBytes = encodeEvidenceList(evidence).length;
    const reaped = this.deps.mempool.reap(this.deps.maxBlockBytes - evidenceBytes, this.deps.maxBlockGas);
    const prepared: BlockTx[] = await this.deps.app.prepareDecodedTxs(reaped);
    const txs = reaped.map((tx) => tx.bytes);
    const time = this.nextBlockTime();
    const exec = await this.execute(height, time, prepared, evidence);
    const block = buildBlock(
      {
        chainId: this.deps.chainId,
        height,
        time,
        lastBlockId: this.tip.blockId,
        lastCommit: this.tip.commit,
        validatorsHash: this.sets.current.hash(),
        nextValidatorsHash: this.sets.next.hash(),
        consensusHash: this.deps.consensusHash,
        proposerAddress: this.deps.signer!.address,
      },
      txs,
      exec,
      evidence,
    );
    return { block, blockId: blockIdOf(block), exec, buildMs: performance.now() - buildStarted };
  }

  private async execute(
    height: bigint,
    time: Timestamp,
    txs: readonly BlockTx[],
    evidence: readonly DuplicateVoteEvidence[],
  ): Promise<BlockExecution> {
    const started = performance.now();
    const exec = await this.deps.app.executeBlockAsync(
      { chainId: this.deps.chainId, height, time },
      txs,
      evidence,
    );
    this.deps.metrics.deliverBlock.observe((performance.now() - started) / 1000);
    return exec;
  }

  private async propose(
    height: bigint,
    round: number,
    polRound: number,
    reuse: BlockId | undefined,
  ): Promise<void> {
    if (!this.machine || this.machine.height !== height || !this.deps.signer) return;
    const already = this.messages.proposalOf(round);
    if (already) {
      // Replayed from the WAL: we proposed this round before the restart; send it again.
      this.network?.broadcastProposal(already);
      return;
    }
    // Re-propose the valid value (with its polka round) when there is one, else a new block.
    const reused = reuse ? this.prepared.get(toHex(reuse.hash)) : undefined;
    const prepared = reused ?? (await this.buildProposalBlock(height));
    this.prepared.set(toHex(prepared.blockId.hash), prepared);
    const unsigned = {
      height,
      round,
      polRound: reused ? polRound : -1,
      blockId: prepared.blockId,
      timestamp: timestampFromMs(this.now()),
    };
    const signature = await this.trySign(
      height,
      round,
      SignStep.Propose,
      proposalSignBytes(this.deps.chainId, unsigned),
    );
    if (!signature) return;
    const proposal: Proposal = { ...unsigned, signature };
    this.log.debug({ height: height.toString(), round, txs: prepared.block.txs.length }, "proposing block");
    const msg = { proposal, block: encodeBlock(prepared.block) };
    this.logOwn(height, encodeConsensusMessage({ kind: "proposal", msg }));
    this.messages.addProposal(msg);
    this.network?.broadcastProposal(msg);
    this.feed({ kind: "proposal", proposal, valid: true });
  }

  /** Signs (durably, before the vote exists anywhere else), gossips, and feeds our own vote back in. */
  private async castVote(
    type: SignedMsgType.Prevote | SignedMsgType.Precommit,
    height: bigint,
    round: number,
    blockId: BlockId | undefined,
  ): Promise<void> {
    const signer = this.deps.signer;
    if (!signer || this.machine?.height !== height) return;
    const already = this.messages.voteOf(type, round, this.selfIndex);
    if (already) {
      // Replayed from the WAL: this step was signed before the restart; send that vote again.
      this.network?.broadcastVote(already);
      return;
    }
    const unsigned = {
      type,
      height,
      round,
      blockId: blockId ?? NIL_BLOCK_ID,
      timestamp: timestampFromMs(this.now()),
    };
    const step = type === SignedMsgType.Prevote ? SignStep.Prevote : SignStep.Precommit;
    const signature = await this.trySign(height, round, step, voteSignBytes(this.deps.chainId, unsigned));
    if (!signature) return;
    const vote: Vote = {
      ...unsigned,
      validatorAddress: signer.address,
      validatorIndex: this.selfIndex,
      signature,
    };
    this.logOwn(height, encodeConsensusMessage({ kind: "vote", vote }));
    this.messages.addVote(vote);
    this.network?.broadcastVote(vote);
    this.feed({ kind: "vote", vote });
  }

  /** The signer refuses anything unsafe (e.g. after a crash mid-round); we then sit the step out. */
  private async trySign(
    height: bigint,
    round: number,
    step: SignStep,
    bytes: Uint8Array,
  ): Promise<Uint8Array | undefined> {
    // Nothing of a height is signed before the block under it is durable (see `finalize`).
    await this.durable;
    try {
      return await this.deps.signer!.sign(height, round, step, bytes);
    } catch (err) {
      this.log.warn({ err, height: height.toString(), round, step }, "signer refused; skipping this step");
      return undefined;
    }
  }

  // ------------------------------------------------------------------ messages from peers

  /** A peer's proposal: checked synchronously for height and signature, its block executed in turn. */
  receiveProposal(msg: ProposalMessage): Verdict {
    if (this.stopped) return "ignore";
    const { proposal } = msg;
    const current = this.tip.height + 1n;
    if (proposal.height < current) return "ignore";
    if (proposal.height > current + 1n) return { reject: "wrong_height" };
    const block = decodeBlockOrUndefined(msg.block);
    if (!block) return { reject: "malformed" };
    if (block.header.height !== proposal.height) return { reject: "invalid_block" };
    const verdict = this.checkProposalSignature(proposal, block);
    if (verdict !== "accept") return verdict;
    if (this.machine?.height !== proposal.height) {
      // Early (we are still committing, or waiting between heights): keep it for its height.
      if (!this.messages.addEarly({ kind: "proposal", msg })) return "ignore";
      this.wake?.();
      return "accept";
    }
    this.acceptProposal(msg, block, true);
    return "accept";
  }

  /**
   * The set that decides `height`: known for the next height and the one after it (validator-set
   * changes take effect two heights on), so early messages are checked on arrival too.
   */
  private setAt(height: bigint): ValidatorSet | undefined {
    const current = this.tip.height + 1n;
    return height === current ? this.sets.current : height === current + 1n ? this.sets.next : undefined;
  }

  private checkProposalSignature(proposal: Proposal, block: Block): Verdict {
    const proposer = this.setAt(proposal.height)?.proposerAt(proposal.round);
    if (!proposer) return "ignore";
    const ok = verify(
      null,
      proposalSignBytes(this.deps.chainId, proposal),
      ed25519PublicKey(proposer.pubKey),
      proposal.signature,
    );
    if (!ok) return { reject: "invalid_signature" };
    const id = blockIdOf(block);
    if (
      toHex(id.hash) !== toHex(proposal.blockId.hash) ||
      toHex(id.parts.hash) !== toHex(proposal.blockId.parts.hash)
    )
      return { reject: "invalid_block" };
    return "accept";
  }

  /** Queues the validation (execution) of a signature-checked proposal, then feeds the machine. */
  private acceptProposal(msg: ProposalMessage, block: Block | undefined, verified = false): void {
    const { proposal } = msg;
    if (!block || !this.machine || proposal.height !== this.machine.height) return;
    if (!verified && this.checkProposalSignature(proposal, block) !== "accept") return;
    this.logToWal(WalRecordKind.Message, proposal.height, encodeConsensusMessage({ kind: "proposal", msg }));
    this.messages.addProposal(msg);
    this.enqueue(async () => {
      if (this.machine?.height !== proposal.height) return;
      const known = this.prepared.get(toHex(proposal.blockId.hash));
      const valid = known !== undefined || (await this.validateBlock(block, msg.block.length)) !== undefined;
      this.feed({ kind: "proposal", proposal, valid });
    });
  }

  /** Checks and executes a peer's block; the result is kept for the commit if it is decided. */
  private async validateBlock(block: Block, encodedBytes: number): Promise<PreparedBlock | undefined> {
    const started = performance.now();
    try {
      this.checkBlock(block, encodedBytes);
      const exec = await this.executePeerBlock(block);
      const mismatch = headerMismatch(block.header, exec);
      if (mismatch)
        throw new InvalidBlockError(block.header.height, `${mismatch} differs from our execution`);
      const prepared = { block, blockId: blockIdOf(block), exec, buildMs: performance.now() - started };
      this.prepared.set(toHex(prepared.blockId.hash), prepared);
      return prepared;
    } catch (err) {
      this.deps.metrics.rejectedMessages.inc({ reason: "invalid_block" });
      this.log.warn({ err, height: block.header.height.toString() }, "rejected a proposed block");
      return undefined;
    }
  }

  /** Executes a block built elsewhere; txs we hold in the mempool are reused already decoded. */
  private async executePeerBlock(block: Block): Promise<BlockExecution> {
    const txs = await this.deps.app.prepareBlockTxs(block.txs, (hash) => this.deps.mempool.get(hash));
    return this.execute(block.header.height, block.header.time, txs, block.evidence);
  }

  /** Header checks, then the evidence: each item valid, new and not expired (throws InvalidBlockError). */
  private checkBlock(block: Block, encodedBytes: number): void {
    checkBlockHeader(this.expectations(), block, encodedBytes);
    try {
      this.deps.evidence.checkProposed(block.evidence);
    } catch (err) {
      throw new InvalidBlockError(block.header.height, `evidence: ${(err as Error).message}`);
    }
  }

  private expectations(): BlockExpectations {
    return {
      chainId: this.deps.chainId,
      height: this.tip.height + 1n,
      initialHeight: this.deps.initialHeight,
      lastTime: this.tip.time,
      lastBlockId: this.tip.blockId,
      lastValidators: this.sets.last,
      validators: this.sets.current,
      nextValidators: this.sets.next,
      consensusHash: this.deps.consensusHash,
      maxBlockBytes: this.deps.maxBlockBytes,
      maxFutureMs: MAX_BLOCK_FUTURE_MS,
      nowMs: this.now(),
    };
  }

  /** A peer's vote: the signature must be the validator's at that index of the set for its height. */
  receiveVote(vote: Vote): Verdict {
    if (this.stopped) return "ignore";
    const current = this.tip.height + 1n;
    if (vote.height < current) return "ignore";
    if (vote.height > current + 1n) return { reject: "wrong_height" };
    if (this.messages.hasVote(vote)) return "ignore";
    const verdict = this.checkVoteSignature(vote);
    if (verdict !== "accept") return verdict;
    if (this.machine?.height !== vote.height) {
      if (!this.messages.addEarly({ kind: "vote", vote })) return "ignore";
      this.wake?.();
      return "accept";
    }
    this.acceptVote(vote, true);
    return "accept";
  }

  private checkVoteSignature(vote: Vote): Verdict {
    const validator = this.setAt(vote.height)?.getByIndex(vote.validatorIndex);
    if (!validator || toHex(validator.address) !== toHex(vote.validatorAddress))
      return { reject: "invalid_signature" };
    const ok = verify(
      null,
      voteSignBytes(this.deps.chainId, vote),
      ed25519PublicKey(validator.pubKey),
      vote.signature,
    );
    return ok ? "accept" : { reject: "invalid_signature" };
  }

  private acceptVote(vote: Vote, verified = false): void {
    if (!this.machine || vote.height !== this.machine.height || this.messages.hasVote(vote)) return;
    if (!verified && this.checkVoteSignature(vote) !== "accept") return;
    this.logToWal(WalRecordKind.Message, vote.height, encodeConsensusMessage({ kind: "vote", vote }));
    this.messages.addVote(vote);
    this.enqueue(() => this.feed({ kind: "vote", vote }));
  }

  /** What a peer asking about `height` is missing: our messages of the height in progress. */
  messagesFor(height: bigint): { proposals: ProposalMessage[]; votes: Vote[] } {
    if (height !== this.messages.height || this.machine?.height !== height)
      return { proposals: [], votes: [] };
    return { proposals: this.messages.proposals(), votes: this.messages.votes() };
  }

  // ------------------------------------------------------------------ committing

  private async commitDecided(blockId: BlockId, round: number, precommits: Vote[]): Promise<void> {
    const prepared = this.prepared.get(toHex(blockId.hash));
    if (!prepared) {
      // Block-sync adopted this very block while the decision waited in the queue (a node that
      // was paused catches up by both paths at once): it is committed already.
      if (toHex(this.tip.blockId.hash) === toHex(blockId.hash)) return;
      throw new Error("decided block was never prepared");
    }
    const seenCommit = buildCommit(
      this.sets.current,
      prepared.block.header.height,
      round,
      blockId,
      precommits,
    );
    await this.finalize(prepared, seenCommit);
  }

  /**
   * Adopts a block that +2/3 of the validators already committed (block-sync). Resolves once it is
   * durable, or false when it is not the next block; throws InvalidBlockError for a bad block.
   */
  applyCommittedBlock(block: Block, encodedBytes: number, commit: Commit): Promise<boolean> {
    const result = this.queue.then(() =>
      this.running ? this.adoptCommitted(block, encodedBytes, commit) : false,
    );
    // A bad block from a peer is the peer's problem; anything else (e.g. a failed write) halts us.
    this.queue = result.then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof InvalidBlockError) return;
        this.log.error({ err }, "applying a synced block failed; halting consensus to stay safe");
        this.running = false;
      },
    );
    return result;
  }

  private async adoptCommitted(block: Block, encodedBytes: number, commit: Commit): Promise<boolean> {
    if (block.header.height !== this.tip.height + 1n) return false;
    const blockId = blockIdOf(block);
    this.checkBlock(block, encodedBytes);
    try {
      verifyCommit(this.deps.chainId, this.sets.current, blockId, commit);
    } catch (err) {
      throw new InvalidBlockError(block.header.height, (err as Error).message);
    }
    let prepared = this.prepared.get(toHex(blockId.hash));
    if (!prepared) {
      const started = performance.now();
      const exec = await this.executePeerBlock(block);
      prepared = { block, blockId, exec, buildMs: performance.now() - started };
    }
    const mismatch = headerMismatch(block.header, prepared.exec);
    if (mismatch) {
      // +2/3 signed a block whose execution differs from ours: our state machine diverged.
      this.log.error(
        { height: block.header.height.toString(), field: mismatch },
        "a committed block disagrees with our execution; halting to stay safe",
      );
      this.running = false;
      return false;
    }
    await this.finalize(prepared, commit);
    await this.durable;
    this.deps.metrics.syncedBlocks.inc();
    return true;
  }

  /**
   * Commits a decided block in two steps. At once: its batch goes to the database, and the block
   * is staged, so the next height starts and its block executes while the batch is written (a
   * block's write took as long as its execution under load, and both sat on every height's path).
   * Once the batch is durable (`whenDurable`): queries, the RPC, subscribers and the WAL see the
   * block. Nothing of the next height is signed, and no next batch written, before that: a crash
   * in between loses the block only as it always could, and the WAL replays it.
   */
  private async finalize(prepared: PreparedBlock, seenCommit: Commit): Promise<void> {
    await this.durable;
    const { block, blockId, exec } = prepared;
    const decidedAt = performance.now();
    const height = block.header.height;
    const info = { chainId: this.deps.chainId, height, time: block.header.time };
    // The block's validator updates fix the set two heights on (H+2); it is stored with the block.
    const sets = advanceValidatorSchedule(this.sets, exec.validatorUpdates);
    // The batch's rows are handed over, not kept: nothing here holds them through the fsync.
    const written = this.deps.db.write(
      [
        ...this.deps.app.commitOps(exec),
        ...this.deps.validatorStore.scheduleOps(sets),
        ...this.deps.blockStore.commitOps({
          block,
          blockHash: blockId.hash,
          seenCommit,
          txHashes: exec.txHashes,
          results: exec.results,
          endBlockEvents: exec.endBlockEvents,
        }),
      ],
      { sync: true },
    );
    // The mempool is rechecked in the same synchronous stretch as the staging: CheckTx between
    // the two would run against the new state without the pending txs' sequences and refuse the
    // next ones.
    this.deps.app.stage(exec, info);
    this.deps.evidence.markCommitted(height, block.header.time, block.evidence);
    const recheckStarted = performance.now();
    this.deps.mempool.update(exec.txHashes.map((h) => toHexUpper(h)));
    const recheckMs = performance.now() - recheckStarted;
    this.recentSets.set(height, this.sets.current);
    this.tip = { height, time: block.header.time, blockId, commit: seenCommit };
    this.sets = sets;
    this.durable = written.then(() => this.whenDurable(prepared, seenCommit, decidedAt, recheckMs));
    // A failed write halts consensus at the next step that waits for it; this only reports it.
    this.durable.catch((err: unknown) => {
      this.log.error({ err, height: height.toString() }, "writing a committed block failed");
      this.running = false;
    });
    this.machine = undefined;
    this.prepared.clear();
    this.stopCatchup();
    if (this.running) this.scheduleNextHeight(this.nextHeightDelay(height, decidedAt));
  }

  /** The block's batch is on disk: it becomes visible to queries, the RPC and subscribers. */
  private whenDurable(
    prepared: PreparedBlock,
    seenCommit: Commit,
    decidedAt: number,
    recheckMs: number,
  ): void {
    const { block, blockId, exec, buildMs } = prepared;
    const height = block.header.height;
    // The write made the block's txs findable by hash; the state they produced must be readable
    // at the same moment, or a client that saw its tx committed could read a stale sequence.
    this.deps.app.commitStaged();
    this.deps.blockStore.markCommitted(block);
    this.endWalHeight(height);
    const writeMs = performance.now() - decidedAt - recheckMs;
    this.deps.metrics.commitBlock.observe(writeMs / 1000);

    const wallNow = this.now();
    if (this.lastCommitWallMs > 0)
      this.deps.metrics.blockInterval.observe((wallNow - this.lastCommitWallMs) / 1000);
    this.lastCommitWallMs = wallNow;
    this.recordMetrics(exec);
    this.log.info(
      {
        height: height.toString(),
        txs: block.txs.length,
        round: seenCommit.round,
        buildMs: Math.round(buildMs),
        writeMs: Math.round(writeMs),
        recheckMs: Math.round(recheckMs),
        mempool: this.deps.mempool.size,
      },
      "committed block",
    );
    this.emit("committed", {
      block,
      blockId,
      results: exec.results,
      txHashes: exec.txHashes,
      endBlockEvents: exec.endBlockEvents,
    });
  }

  /**
   * Marks the height committed in the WAL without waiting for the marker's fsync. The block store,
   * synced above, is what says a height is committed: a restart replays the WAL for the height after
   * its latest block, so a lost marker costs nothing. Waiting had put an fsync's trip through the
   * I/O pool, which comes back behind every CheckTx queued on the event loop (8-60 ms a height under
   * load), on every height's path. A failed fsync or rotation leaves the WAL failed, and the next
   * height's first append halts consensus, as an awaited failure did.
   */
  private endWalHeight(height: bigint): void {
    this.deps.wal?.endHeight(height).catch((err: unknown) => {
      this.log.error({ err, height: height.toString() }, "consensus WAL could not end the height");
    });
  }

  private nextHeightDelay(height: bigint, decidedAt: number): number {
    return nextHeightDelayMs({
      commitMs: this.deps.timeouts.commitMs,
      startedAt: this.heightStarted?.height === height ? this.heightStarted.at : undefined,
      decidedAt,
      now: performance.now(),
    });
  }

  private recordMetrics(exec: BlockExecution): void {
    const m = this.deps.metrics;
    m.height.set(Number(exec.height));
    m.blockTxs.observe(exec.results.length);
    for (const r of exec.results) m.txs.inc({ result: r.code === 0 ? "ok" : "failed" });
    m.mempoolSize.set(this.deps.mempool.size);
    m.mempoolBytes.set(this.deps.mempool.sizeBytes);
  }
}

function decodeBlockOrUndefined(bytes: Uint8Array): Block | undefined {
  try {
    return decodeBlock(bytes);
  } catch {
    return undefined;
  }
}
