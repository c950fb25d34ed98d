/**
 * The block bridge: follows a node's committed blocks in height order and, for each block, adds ONE
 * BullMQ job per interested worker queue carrying that block's wanted events (BullMQ costs about a
 * quarter millisecond of CPU per job: per block, never per tx).
 *
 * Exactly once, across crashes and replays: a job's id is `<queue>-<height>` (BullMQ ignores an add
 * whose id exists), and the cursor (the last height whose jobs were all added, in Redis under
 * `vivim:bridge`) advances only after every queue's add has returned. A crash in between re-adds the
 * same ids on restart, which changes nothing. The cursor also records the chain id, so a bridge
 * never feeds one chain's blocks into queues that hold another's.
 *
 * New heights come from the node's NewBlockHeader events over /websocket, with a `status` poll as the
 * fallback; blocks are read by height (`block`, `block_results`), so catch-up after any downtime is
 * the same code path as following.
 */
import { EventEmitter } from "node:events";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { WorkersError } from "../errors.js";
import { QUEUE_PREFIX } from "../redis/connection.js";
import { blockEvents } from "./block-events.js";
import { readCursor, writeCursor } from "./cursor.js";
import {
  type BlockJobData,
  blockJob,
  blockJobId,
  DEFAULT_INTERESTS,
  DEFAULT_JOB_LIMITS,
  type JobLimits,
  type WorkerInterest,
} from "./interests.js";
import type { NewBlockListener, NodeRpc } from "./node-rpc.js";

/** The job name of every block job. */
export const BLOCK_JOB = "block";

export interface BlockBridgeComponents {
  readonly node: NodeRpc;
  /** A producer connection (see connectRedis): the cursor lives here and the queues share it. */
  readonly redis: Redis;
  readonly logger: Logger;
  /** Wakes the bridge when a block commits; without it the bridge polls `status` every `pollMs`. */
  readonly newBlocks?: NewBlockListener;
}

export interface BlockBridgeOptions {
  readonly interests?: readonly WorkerInterest[];
  /** BullMQ key prefix; default "vivim". */
  readonly prefix?: string;
  /** The first height to process when Redis holds no cursor; default 1. */
  readonly fromHeight?: number;
  /** How often to ask the node for its height when no NewBlock event arrives; default 1000 ms. */
  readonly pollMs?: number;
  readonly limits?: JobLimits;
  /** Job retention: completed jobs kept per queue. A replay older than this could enqueue again. */
  readonly keepCompleted?: number;
}

export class BlockBridge extends EventEmitter<{ processed: [height: number] }> {
  private readonly log: Logger;
  private readonly interests: readonly WorkerInterest[];
  private readonly prefix: string;
  private readonly queues = new Map<string, Queue<BlockJobData>>();
  private chainId = "";
  private cursor = 0;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  /** A NewBlock event arrived while the bridge was busy: look again before sleeping. */
  private pending = false;
  private readonly onHeight = () => {
    this.pending = true;
    this.wake?.();
  };

  constructor(
    private readonly c: BlockBridgeComponents,
    private readonly opts: BlockBridgeOptions = {},
  ) {
    super();
    this.log = c.logger.child({ component: "block-bridge" });
    this.interests = opts.interests ?? DEFAULT_INTERESTS;
    this.prefix = opts.prefix ?? QUEUE_PREFIX;
  }

  /** The last height whose jobs were all added (0 before the first). */
  get processedHeight(): number {
    return this.cursor;
  }

  get queueNames(): string[] {
    return this.interests.map((i) => i.queue);
  }

  /**
   * Reads the cursor and starts following. Rejects (WorkersError) when Redis or the node cannot be
   * reached at all, or Redis holds another chain's cursor; later failures are retried with backoff.
   */
  async start(): Promise<void> {
    if (!this.stopped) return;
    const status = await this.c.node.status();
    const stored = await this.readCursorOrThrow();
    if (stored && stored.chainId !== status.chainId) {
      throw new WorkersError(
        "CHAIN_MISMATCH",
        `Redis holds the bridge cursor of chain ${stored.chainId}, but the node runs ${status.chainId}; use another Redis (or database) for this chain`,
      );
    }
    this.chainId = status.chainId;
    this.cursor = stored ? stored.height : Math.max(0, (this.opts.fromHeight ?? 1) - 1);
    if (!stored) {
      await writeCursor(this.c.redis, this.prefix, { chainId: this.chainId, height: this.cursor }).catch(
        (err: unknown) => {
          throw new WorkersError("REDIS_UNAVAILABLE", "could not store the bridge cursor", { cause: err });
        },
      );
    }
    if (this.cursor > status.latestHeight) {
      this.log.warn(
        { cursor: this.cursor, latest: status.latestHeight },
        "the bridge cursor is ahead of the node; waiting for the node to reach it",
      );
    }
    for (const { queue } of this.interests) {
      if (this.queues.has(queue)) continue;
      const q = new Queue<BlockJobData>(queue, { connection: this.c.redis, prefix: this.prefix });
      let lastWarn = 0;
      q.on("error", (err) => {
        // During a Redis outage every reconnect attempt errors: one line per queue per 10 s.
        if (Date.now() - lastWarn < 10_000) return;
        lastWarn = Date.now();
        this.log.warn({ code: "REDIS_UNAVAILABLE", queue, err: err.message }, "queue error");
      });
      this.queues.set(queue, q);
    }
    this.stopped = false;
    this.c.newBlocks?.on("height", this.onHeight);
    this.c.newBlocks?.start();
    this.log.info(
      { chainId: this.chainId, from: this.cursor + 1, latest: status.latestHeight, queues: this.queueNames },
      "block bridge started",
    );
    this.running = this.loop();
  }

  /** Finishes the block in progress (its jobs and cursor), then stops; the queues are closed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.c.newBlocks?.off("height", this.onHeight);
    this.c.newBlocks?.stop();
    this.wake?.();
    await this.running;
    this.running = undefined;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    this.log.info({ height: this.cursor }, "block bridge stopped");
  }

  private async readCursorOrThrow() {
    try {
      return await readCursor(this.c.redis, this.prefix);
    } catch (err) {
      throw new WorkersError("REDIS_UNAVAILABLE", "could not read the bridge cursor from Redis", {
        cause: err,
      });
    }
  }

  private async loop(): Promise<void> {
    let backoffMs = 100;
    while (!this.stopped) {
      try {
        const { latestHeight } = await this.c.node.status();
        while (!this.stopped && this.cursor < latestHeight) await this.process(this.cursor + 1);
        backoffMs = 100;
        if (!this.stopped) await this.idle(this.opts.pollMs ?? 1_000);
      } catch (err) {
        const code = err instanceof WorkersError ? err.code : "ENQUEUE_FAILED";
        this.log.warn(
          { code, height: this.cursor + 1, err: (err as Error).message, retryMs: backoffMs },
          "block bridge: will retry",
        );
        await this.idle(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  }

  /** Sleeps until a NewBlock event (also one that came while busy), `ms`, or stop. */
  private idle(ms: number): Promise<void> {
    if (this.pending || this.stopped) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async process(height: number): Promise<void> {
    const [block, results] = await Promise.all([this.c.node.block(height), this.c.node.blockResults(height)]);
    const events = blockEvents(height, block, results);
    const limits = this.opts.limits ?? DEFAULT_JOB_LIMITS;
    const jobs = this.interests.flatMap((interest) => {
      const data = blockJob(this.chainId, events, interest, limits);
      return data ? [{ interest, data }] : [];
    });
    // All of the block's adds finish (in parallel) before the cursor moves; one failing fails the block.
    await Promise.all(jobs.map(({ interest, data }) => this.add(interest.queue, height, data)));
    try {
      await writeCursor(this.c.redis, this.prefix, { chainId: this.chainId, height });
    } catch (err) {
      throw new WorkersError("REDIS_UNAVAILABLE", `could not store the bridge cursor at ${height}`, {
        cause: err,
      });
    }
    this.cursor = height;
    // Counts only: event attributes may hold member-chosen text and stay out of the logs.
    this.log.debug(
      { height, txs: events.txs.length, events: events.events.length, jobs: jobs.length },
      "block bridged",
    );
    this.emit("processed", height);
  }

  private async add(queueName: string, height: number, data: BlockJobData): Promise<void> {
    const queue = this.queues.get(queueName);
    if (!queue) throw new WorkersError("ENQUEUE_FAILED", `no queue ${queueName}`);
    try {
      await queue.add(BLOCK_JOB, data, {
        jobId: blockJobId(queueName, height),
        attempts: 5,
        backoff: { type: "exponential", delay: 1_000 },
        removeOnComplete: { count: this.opts.keepCompleted ?? 200_000 },
        removeOnFail: false,
      });
    } catch (err) {
      throw new WorkersError(
        "ENQUEUE_FAILED",
        `could not add block ${height}'s job to ${queueName}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (data.truncated) {
      this.log.warn(
        { height, queue: queueName, eventCount: data.eventCount, carried: data.events.length },
        "block job truncated to the size cap",
      );
    }
  }
}
