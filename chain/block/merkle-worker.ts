/**
 * A block's tx, results and event roots computed on a worker thread. The event tree alone hashes
 * two nodes per event, a dozen events per MsgSend: on the node's main thread, its busiest, that was
 * ~8 % of all it did at 3,000 tx/s, while the signature workers sat mostly idle. The block executor
 * packs the leaves into one transferred buffer and posts it before it updates the state tree, so
 * the hashing runs beside that update.
 *
 * The worker builds the same merkletreejs trees as `BlockMerkleTree` (merkle.ts: leaf
 * sha256(0x00 || data), inner sha256(0x01 || left || right), odd nodes promoted);
 * merkle-worker.spec.ts checks its roots against BlockMerkleTree's. Anything going wrong with the
 * worker (not started, crashed, stopped) makes `roots` reject, and the caller computes the roots
 * itself: the worker only ever saves time, never decides a root alone.
 *
 * Packed format (little-endian), for each tree in turn: u32 leaf count, then per leaf u32 length
 * and the leaf's bytes. Reply: the roots, 32 bytes each, in tree order.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { SizedWriter } from "../codec/sized-writer.js";

const WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { hash } = require("node:crypto");
const { MerkleTree } = require(workerData.merkletreejs);

const scratch = Buffer.alloc(65);
const digest = (data) => hash("sha256", data, "buffer");
const leafHash = (data) => digest(Buffer.concat([LEAF, data]));
const LEAF = Buffer.from([0]);
const EMPTY_ROOT = digest(Buffer.alloc(0));
function innerHash(inputs) {
  scratch[0] = 1;
  scratch.set(inputs[0], 1);
  scratch.set(inputs[1], 33);
  return digest(scratch);
}

function rootOf(leaves) {
  if (leaves.length === 0) return EMPTY_ROOT;
  const tree = new MerkleTree(leaves, (x) => x, {
    hashLeaves: false, sortPairs: false, duplicateOdd: false, concatenator: innerHash,
  });
  return tree.getRoot();
}

// Fault injection for tests: stop answering, as a wedged worker would.
let stalled = false;

parentPort.on("message", (m) => {
  if (m.stall) stalled = true;
  if (stalled) return;
  const bytes = Buffer.from(m.buffer, 0, m.length);
  const view = new DataView(m.buffer, 0, m.length);
  const roots = Buffer.alloc(32 * m.trees);
  let p = 0;
  for (let t = 0; t < m.trees; t++) {
    const count = view.getUint32(p, true);
    p += 4;
    const leaves = new Array(count);
    for (let i = 0; i < count; i++) {
      const len = view.getUint32(p, true);
      p += 4;
      leaves[i] = leafHash(bytes.subarray(p, p + len));
      p += len;
    }
    roots.set(rootOf(leaves), 32 * t);
  }
  parentPort.postMessage({ id: m.id, roots }, [roots.buffer]);
});
`;

/** Leaves of several trees packed for the worker, written in place (no leaf is allocated alone). */
export class LeafPack {
  private buf = new Uint8Array(64 * 1024);
  private view = new DataView(this.buf.buffer);
  private length = 0;
  private countAt = -1;
  private count = 0;
  private trees = 0;

  /** Starts the next tree; its leaves follow. */
  beginTree(): void {
    this.endTree();
    this.ensure(4);
    this.countAt = this.length;
    this.length += 4;
    this.count = 0;
    this.trees++;
  }

  /** A leaf's bytes as they are. */
  add(leaf: Uint8Array): void {
    this.write(leaf.length).raw(leaf).finish();
  }

  /** A writer for the next leaf of `size` bytes, to be filled exactly. */
  write(size: number): SizedWriter {
    this.ensure(4 + size);
    this.view.setUint32(this.length, size, true);
    const start = this.length + 4;
    this.length = start + size;
    this.count++;
    return new SizedWriter(this.buf.subarray(start, start + size));
  }

  /** The packed bytes (the pack is done with). */
  finish(): { buffer: ArrayBuffer; length: number; trees: number } {
    this.endTree();
    return { buffer: this.buf.buffer as ArrayBuffer, length: this.length, trees: this.trees };
  }

  private endTree(): void {
    if (this.countAt >= 0) this.view.setUint32(this.countAt, this.count, true);
    this.countAt = -1;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}

export class MerkleWorkerUnavailableError extends Error {
  readonly code = "MERKLE_WORKER_UNAVAILABLE";
  constructor(reason: string) {
    super(`merkle worker unavailable: ${reason}`);
    this.name = "MerkleWorkerUnavailableError";
  }
}

interface PendingRoots {
  readonly resolve: (roots: Uint8Array[]) => void;
  readonly reject: (err: Error) => void;
  readonly trees: number;
  readonly timer: NodeJS.Timeout;
}

export interface MerkleRootWorkerOptions {
  /**
   * How long a block waits for its roots before hashing them itself and replacing the worker. The
   * worker answers a block of thousands of txs in milliseconds; this only bounds what a wedged
   * worker could cost consensus.
   */
  readonly answerTimeoutMs?: number;
}

export class MerkleRootWorker {
  private readonly answerTimeoutMs: number;
  private worker: Worker | null = null;
  private running = false;
  private readonly pending = new Map<number, PendingRoots>();
  private nextId = 1;

  constructor(opts: MerkleRootWorkerOptions = {}) {
    this.answerTimeoutMs = opts.answerTimeoutMs ?? 10_000;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.spawn();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.failPending("stopped");
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  /** Whether `roots` can be asked now (started, and the worker is up). */
  get available(): boolean {
    return this.running && this.worker !== null;
  }

  /** The root of each packed tree, in order; rejects if the worker cannot answer. */
  roots(pack: LeafPack): Promise<Uint8Array[]> {
    const worker = this.worker;
    if (!this.running || worker === null)
      return Promise.reject(new MerkleWorkerUnavailableError(this.running ? "restarting" : "not started"));
    const { buffer, length, trees } = pack.finish();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const late = this.settle(id);
        if (!late) return;
        late.reject(new MerkleWorkerUnavailableError(`no answer in ${this.answerTimeoutMs} ms`));
        this.replaceWedged(worker);
      }, this.answerTimeoutMs);
      this.pending.set(id, { resolve, reject, trees, timer });
      if (this.pending.size === 1) worker.ref();
      try {
        worker.postMessage({ id, buffer, length, trees }, [buffer]);
      } catch (err) {
        this.settle(id);
        reject(new MerkleWorkerUnavailableError((err as Error).message));
      }
    });
  }

  /** Fault injection for tests: the worker dies as a crash would. */
  crashForTest(): void {
    this.worker?.postMessage({ id: 0 });
  }

  /** Fault injection for tests: the worker stays up but never answers again. */
  stallForTest(): void {
    this.worker?.postMessage({ stall: true });
  }

  private spawn(): Promise<void> {
    let online = false;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { merkletreejs: createRequire(import.meta.url).resolve("merkletreejs") },
    });
    worker.unref();
    this.worker = worker;
    return new Promise<void>((resolve) => {
      worker.once("online", () => {
        online = true;
        resolve();
      });
      worker.on("message", (m: { id: number; roots: Uint8Array }) => this.onRoots(m));
      // Without an 'error' listener a worker exception would crash the whole node.
      worker.on("error", () => {});
      worker.once("exit", () => {
        resolve();
        if (this.worker !== worker) return;
        this.worker = null;
        this.failPending("the worker exited");
        // One that died before it ever ran would die again: callers hash on their own thread.
        if (this.running && online) void this.spawn();
      });
    });
  }

  /** A worker that let a block wait this long is wedged: a fresh one takes over at once. */
  private replaceWedged(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failPending("the worker stopped answering");
    void worker.terminate();
    if (this.running) void this.spawn();
  }

  /** Removes a request from the pending ones (returning it, if it was still pending). */
  private settle(id: number): PendingRoots | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    return p;
  }

  private onRoots(m: { id: number; roots: Uint8Array }): void {
    const p = this.settle(m.id);
    if (!p) return;
    const roots: Uint8Array[] = [];
    for (let t = 0; t < p.trees; t++) roots.push(new Uint8Array(m.roots.subarray(32 * t, 32 * t + 32)));
    p.resolve(roots);
  }

  private failPending(reason: string): void {
    const err = new MerkleWorkerUnavailableError(reason);
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(err);
  }
}
