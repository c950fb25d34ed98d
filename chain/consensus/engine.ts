/**
 * The consensus driver: runs one `TendermintMachine` per height and performs its actions — builds
 * and executes proposals, signs votes through the last-sign-state signer, runs timers, and commits
 * decided blocks in one atomic, fsynced batch. A one-validator network goes through exactly this
 * path (propose → prevote → precommit → commit, each with one vote); peers plug in via `network`.
 */
import { EventEmitter } from "node:events";
import { toHex } from "../crypto/hash.js";
import type { BlockStore } from "../db/block-store.js";
import type { Database } from "../db/database.js";
import type { Application } from "../execution/app.js";
import type { BlockExecution, BlockTx } from "../execution/block-executor.js";
import type { Mempool } from "../mempool/mempool.js";
import type { NodeMetrics } from "../metrics/metrics.js";
import { type Block, type BlockId, type Commit, NIL_BLOCK_ID, type TxResult } from "../types/block.js";
import { compareTimestamps, type Timestamp, timestampFromMs, timestampToMs } from "../types/timestamp.js";
import type { Logger } from "../util/logger.js";
import { blockIdOf, buildBlock } from "./block-builder.js";
import { buildCommit } from "./commit.js";
import { type Proposal, proposalSignBytes, SignedMsgType, type Vote, voteSignBytes } from "./messages.js";
import { SignStep, type ValidatorSigner } from "./signer.js";
import {
  type ConsensusAction,
  type ConsensusEvent,
  TendermintMachine,
  type TimeoutConfig,
} from "./state-machine.js";
import type { ValidatorSet } from "./validator-set.js";

export interface EngineTimeouts extends TimeoutConfig {
  readonly commitMs: number;
  readonly createEmptyBlocks: boolean;
  readonly emptyBlocksIntervalMs: number;
}

export interface ConsensusEngineDeps {
  readonly chainId: string;
  readonly db: Database;
  readonly app: Application;
  readonly blockStore: BlockStore;
  readonly mempool: Mempool;
  readonly validators: ValidatorSet;
  readonly signer: ValidatorSigner | undefined;
  readonly timeouts: EngineTimeouts;
  readonly maxBlockBytes: number;
  readonly maxBlockGas: bigint;
  readonly consensusHash: Uint8Array;
  readonly metrics: NodeMetrics;
  readonly logger: Logger;
  /** Wall clock for proposal/vote timestamps (outside the deterministic contracts). */
  readonly now?: () => number;
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
  /** Time to reap, verify and execute the block, for the commit log line. */
  readonly buildMs: number;
}

/** Where the last committed block left us: what the next block must point back to. */
interface ChainTip {
  height: bigint;
  time: Timestamp;
  blockId: BlockId;
  commit: Commit;
}

export class ConsensusEngine extends EventEmitter<{ committed: [CommittedBlock] }> {
  private machine: TendermintMachine | undefined;
  private readonly prepared = new Map<string, PreparedBlock>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private queue: Promise<void> = Promise.resolve();
  private running = false;
  private tip: ChainTip;
  private lastCommitWallMs = 0;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly selfIndex: number;

  constructor(
    private readonly deps: ConsensusEngineDeps,
    tip: ChainTip,
  ) {
    super();
    this.tip = tip;
    this.now = deps.now ?? Date.now;
    this.log = deps.logger.child({ component: "consensus" });
    this.selfIndex = deps.signer ? deps.validators.indexOf(deps.signer.address) : -1;
  }

  get height(): bigint {
    return this.tip.height;
  }

  start(): void {
    this.running = true;
    this.log.info(
      { height: (this.tip.height + 1n).toString(), validator: this.selfIndex >= 0 },
      "consensus starting",
    );
    this.scheduleNextHeight(0);
  }

  /** Stops timers and waits for any in-flight step (a commit in progress completes). */
  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deps.mempool.removeAllListeners("txAvailable");
    await this.queue;
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
   * Waits `delayMs` (timeout_commit), then for txs when empty blocks are throttled, then starts the
   * next height. With create_empty_blocks_interval an idle chain still makes a block per interval.
   */
  private scheduleNextHeight(delayMs: number): void {
    this.setTimer(delayMs, () => {
      const begin = () => this.enqueue(() => this.startHeight());
      const { createEmptyBlocks, emptyBlocksIntervalMs } = this.deps.timeouts;
      if (
        this.deps.mempool.size > 0 ||
        (createEmptyBlocks && emptyBlocksIntervalMs === 0) ||
        this.tip.height === 0n
      ) {
        begin();
        return;
      }
      let started = false;
      const once = () => {
        if (started) return;
        started = true;
        this.deps.mempool.off("txAvailable", once);
        begin();
      };
      this.deps.mempool.on("txAvailable", once);
      if (createEmptyBlocks) {
        const waited = this.now() - this.lastCommitWallMs;
        this.setTimer(Math.max(0, emptyBlocksIntervalMs - waited), once);
      }
    });
  }

  private startHeight(): void {
    const height = this.tip.height + 1n;
    this.prepared.clear();
    this.machine = new TendermintMachine(height, this.deps.validators, this.selfIndex, this.deps.timeouts);
    this.deps.metrics.consensusRounds.inc();
    // After a crash mid-height our signer may already have signed in some round of it; start past
    // that round instead of timing out through steps the signer would refuse.
    const last = this.deps.signer?.lastSignState;
    const round = last && last.height === height ? last.round + 1 : 0;
    this.perform(this.machine.start(round));
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
            this.enqueue(() =>
              this.feed({ kind: "timeout", height: action.height, round: action.round, step: action.step }),
            ),
          );
          break;
        case "decide":
          this.enqueue(() => this.commit(action.blockId, action.round, action.precommits));
          break;
        case "missingBlock":
          // Block sync from peers comes with the networking layer; alone, this cannot happen.
          this.log.error(
            { height: action.height.toString(), round: action.round },
            "+2/3 precommitted a block we do not have",
          );
          this.running = false;
          break;
        case "equivocation":
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

  private nextBlockTime(): Timestamp {
    // Monotonic block time: never before the previous block, even if the wall clock steps back.
    const now = timestampFromMs(this.now());
    const floor = timestampFromMs(timestampToMs(this.tip.time) + 1);
    return compareTimestamps(now, floor) > 0 ? now : floor;
  }

  private async buildProposalBlock(height: bigint): Promise<PreparedBlock> {
    const buildStarted = performance.now();
    const reaped = this.deps.mempool.reap(this.deps.maxBlockBytes, this.deps.maxBlockGas);
    const prepared: BlockTx[] = await this.deps.app.prepareDecodedTxs(reaped);
    const txs = reaped.map((tx) => tx.bytes);
    const time = this.nextBlockTime();
    const started = performance.now();
    const exec = this.deps.app.executeBlock({ chainId: this.deps.chainId, height, time }, prepared);
    this.deps.metrics.deliverBlock.observe((performance.now() - started) / 1000);
    const validatorsHash = this.deps.validators.hash();
    const block = buildBlock(
      {
        chainId: this.deps.chainId,
        height,
        time,
        lastBlockId: this.tip.blockId,
        lastCommit: this.tip.commit,
        validatorsHash,
        nextValidatorsHash: validatorsHash,
        consensusHash: this.deps.consensusHash,
        proposerAddress: this.deps.signer!.address,
      },
      txs,
      exec,
    );
    return { block, blockId: blockIdOf(block), exec, buildMs: performance.now() - buildStarted };
  }

  private async propose(
    height: bigint,
    round: number,
    polRound: number,
    reuse: BlockId | undefined,
  ): Promise<void> {
    if (!this.machine || this.machine.height !== height || !this.deps.signer) return;
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
    this.feed({ kind: "proposal", proposal, valid: true });
  }

  /** Signs (durably, before the vote exists anywhere else) and feeds our own vote back in. */
  private async castVote(
    type: SignedMsgType.Prevote | SignedMsgType.Precommit,
    height: bigint,
    round: number,
    blockId: BlockId | undefined,
  ): Promise<void> {
    const signer = this.deps.signer;
    if (!signer) return;
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
    this.feed({ kind: "vote", vote });
  }

  /** The signer refuses anything unsafe (e.g. after a crash mid-round); we then sit the step out. */
  private async trySign(
    height: bigint,
    round: number,
    step: SignStep,
    bytes: Uint8Array,
  ): Promise<Uint8Array | undefined> {
    try {
      return await this.deps.signer!.sign(height, round, step, bytes);
    } catch (err) {
      this.log.warn({ err, height: height.toString(), round, step }, "signer refused; skipping this step");
      return undefined;
    }
  }

  private async commit(blockId: BlockId, round: number, precommits: Vote[]): Promise<void> {
    const prepared = this.prepared.get(toHex(blockId.hash));
    if (!prepared) throw new Error("decided block was never prepared");
    const { block, exec, buildMs } = prepared;
    const decidedAt = performance.now();
    const height = block.header.height;
    const seenCommit = buildCommit(this.deps.validators, height, round, blockId, precommits);
    const started = performance.now();
    const ops = [
      ...this.deps.app.commitOps(exec),
      ...this.deps.blockStore.commitOps({
        block,
        blockHash: blockId.hash,
        seenCommit,
        txHashes: exec.txHashes,
        results: exec.results,
        endBlockEvents: exec.endBlockEvents,
      }),
    ];
    await this.deps.db.write(ops, { sync: true });
    this.deps.app.markCommitted(exec, { chainId: this.deps.chainId, height, time: block.header.time });
    this.deps.blockStore.markCommitted(block);
    const writeMs = performance.now() - started;
    this.deps.metrics.commitBlock.observe(writeMs / 1000);

    const wallNow = this.now();
    if (this.lastCommitWallMs > 0)
      this.deps.metrics.blockInterval.observe((wallNow - this.lastCommitWallMs) / 1000);
    this.lastCommitWallMs = wallNow;
    this.tip = { height, time: block.header.time, blockId, commit: seenCommit };
    const recheckStarted = performance.now();
    this.deps.mempool.update(exec.txHashes.map((h) => toHex(h).toUpperCase()));
    this.recordMetrics(exec);
    this.log.info(
      {
        height: height.toString(),
        txs: block.txs.length,
        round,
        buildMs: Math.round(buildMs),
        writeMs: Math.round(writeMs),
        recheckMs: Math.round(performance.now() - recheckStarted),
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
    this.machine = undefined;
    // timeout_commit runs from the decision, so writing the block overlaps the wait instead of adding to it.
    if (this.running)
      this.scheduleNextHeight(Math.max(0, this.deps.timeouts.commitMs - (performance.now() - decidedAt)));
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
