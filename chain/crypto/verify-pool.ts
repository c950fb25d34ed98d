/**
 * Signature verification spread over worker_threads: the node's biggest CPU cost (limits.md: ~1.6k
 * secp256k1 verify/s per core with node:crypto, ~1.4x with 2 workers; libsecp256k1, used when its
 * binding loads, ~7x that), so each worker keeps its own
 * KeyObject LRU and jobs travel in micro-batches: everything queued in the current tick (up to
 * `maxBatch` jobs / MAX_BATCH_BYTES) is packed into one transferable ArrayBuffer and posted as one
 * message to the least-loaded worker, which makes the per-job messaging cost negligible.
 *
 * A crashed worker rejects its in-flight jobs (CodedError Internal) and is replaced; idle workers are
 * unref'd so a forgotten pool does not keep the process alive.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { CodedError, SdkErrors } from "../errors/codes.js";
import type { PubKeyType } from "./address.js";
import { activeNativeSecp256k1Path } from "./secp256k1-native.js";

export interface VerifyJob {
  type: PubKeyType;
  pubkey: Uint8Array;
  /** The signed bytes (SignDoc bytes); secp256k1 hashes them with sha256 in the worker. */
  message: Uint8Array;
  signature: Uint8Array;
}

export interface VerifierPoolOptions {
  /** Default: os.availableParallelism(). */
  threads?: number;
  /** Max jobs per posted batch. Default 256. */
  maxBatch?: number;
  /** KeyObject LRU size per worker. Default 4096. */
  cacheSize?: number;
  /** secp256k1 on the process's selected implementation (the default), or on node:crypto. */
  secp256k1?: "native" | "node";
}

export interface VerifierPoolStats {
  threads: number;
  queued: number;
  inFlight: number;
  /** Workers replaced after a crash since start(). */
  replaced: number;
}

/** Keeps one batch's buffer in the tens of KiB to a few MiB even with 64 KiB sign docs. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
const JOB_HEADER_BYTES = 8;
const TYPE_CODE: Readonly<Record<PubKeyType, number>> = { secp256k1: 0, ed25519: 1 };
/** A worker that dies before it ever came online is restarted after this delay, not in a hot loop. */
const RESPAWN_BACKOFF_MS = 1000;

interface Pending {
  readonly job: VerifyJob;
  readonly resolve: (ok: boolean) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  worker: Worker | null;
  online: boolean;
  /** Jobs posted and not yet answered, by batch id. */
  readonly inFlight: Map<number, Pending[]>;
  load: number;
  /** Set before a deliberate terminate(), so its exit is not taken for a crash. */
  stopping: boolean;
  lastError: string;
}

/**
 * The worker, a self-contained CommonJS script for `new Worker(src, { eval: true })`: a string
 * rather than a module file because the same code must run from the TypeScript sources under vitest
 * and from dist/ (tsc does not copy .js assets), and because a function's `.toString()` is rewritten
 * by test transformers (coverage counters, name helpers). It mirrors verify.ts (low-S rule,
 * KeyObject LRU); verify-pool.spec.ts cross-checks the two on the same vectors.
 *
 * Batch wire format (one transferred ArrayBuffer, `count` jobs back to back):
 *   u8 type (0 = secp256k1, 1 = ed25519) | u8 pubkey length | u8 signature length | u8 0 |
 *   u32 LE message length | pubkey | signature | message
 * Reply: { id, results: Uint8Array(count) }, 1 = valid, 0 = invalid (transferred back).
 */
const WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const crypto = require("node:crypto");

const CAPACITY = (workerData && workerData.cacheSize) || 4096;
// libsecp256k1's binding when the main thread found one (secp256k1-native.ts), else node:crypto.
let native = null;
if (workerData && workerData.nativePath) {
  try { native = require(workerData.nativePath); } catch (e) { native = null; }
}
const HALF_N = Buffer.from("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", "hex");
const cache = new Map();

function isHighS(sig) {
  for (let i = 0; i < 32; i++) {
    const a = sig[32 + i], b = HALF_N[i];
    if (a !== b) return a > b;
  }
  return false;
}

function parseKey(type, pk) {
  try {
    if (type === 0) {
      if (pk.length !== 33 || (pk[0] !== 2 && pk[0] !== 3)) return null;
      const full = crypto.ECDH.convertKey(pk, "secp256k1", undefined, undefined, "uncompressed");
      return crypto.createPublicKey({ key: { kty: "EC", crv: "secp256k1",
        x: full.subarray(1, 33).toString("base64url"), y: full.subarray(33, 65).toString("base64url") }, format: "jwk" });
    }
    if (type === 1) {
      if (pk.length !== 32) return null;
      return crypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519",
        x: Buffer.from(pk.buffer, pk.byteOffset, pk.byteLength).toString("base64url") }, format: "jwk" });
    }
  } catch (e) {}
  return null;
}

function keyFor(type, pk) {
  const id = type + Buffer.from(pk.buffer, pk.byteOffset, pk.byteLength).toString("base64");
  const hit = cache.get(id);
  if (hit !== undefined) { cache.delete(id); cache.set(id, hit); return hit; }
  const key = parseKey(type, pk);
  if (cache.size >= CAPACITY) cache.delete(cache.keys().next().value);
  cache.set(id, key);
  return key;
}

function verifyOne(type, pk, msg, sig) {
  if (sig.length !== 64) return false;
  if (type === 0 && isHighS(sig)) return false;
  if (type === 0 && native !== null) {
    if (pk.length !== 33 || (pk[0] !== 2 && pk[0] !== 3)) return false;
    try { return native.ecdsaVerify(sig, crypto.hash("sha256", msg, "buffer"), pk); } catch (e) { return false; }
  }
  const key = keyFor(type, pk);
  if (key === null) return false;
  try {
    return type === 0
      ? crypto.verify("sha256", msg, { key: key, dsaEncoding: "ieee-p1363" }, sig)
      : crypto.verify(null, msg, key, sig);
  } catch (e) {
    return false;
  }
}

// Fault injection for tests: die on receipt of the next batch, so that batch is surely in flight.
let crashOnNextBatch = false;

parentPort.on("message", (m) => {
  if (m.crashOnNextBatch) { crashOnNextBatch = true; return; }
  if (crashOnNextBatch) throw new Error("injected crash");
  const buf = new Uint8Array(m.buffer);
  const view = new DataView(m.buffer);
  const out = new Uint8Array(m.count);
  let p = 0;
  for (let i = 0; i < m.count; i++) {
    const type = buf[p], pkLen = buf[p + 1], sigLen = buf[p + 2], msgLen = view.getUint32(p + 4, true);
    p += 8;
    const pk = buf.subarray(p, p + pkLen); p += pkLen;
    const sig = buf.subarray(p, p + sigLen); p += sigLen;
    const msg = buf.subarray(p, p + msgLen); p += msgLen;
    out[i] = verifyOne(type, pk, msg, sig) ? 1 : 0;
  }
  parentPort.postMessage({ id: m.id, results: out }, [out.buffer]);
});
`;

export class SignatureVerifierPool {
  private readonly threads: number;
  private readonly maxBatch: number;
  private readonly cacheSize: number;
  private readonly nativePath: string | undefined;
  private readonly slots: Slot[] = [];
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private nextBatchId = 1;
  private running = false;
  private replaced = 0;

  constructor(opts: VerifierPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
    this.maxBatch = Math.max(1, Math.floor(opts.maxBatch ?? 256));
    this.cacheSize = Math.max(1, Math.floor(opts.cacheSize ?? 4096));
    this.nativePath = opts.secp256k1 === "node" ? undefined : activeNativeSecp256k1Path();
  }

  /** Spawns the workers and resolves once all of them run. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const ready: Promise<void>[] = [];
    for (let i = 0; i < this.threads; i++) {
      const slot: Slot = {
        worker: null,
        online: false,
        inFlight: new Map(),
        load: 0,
        stopping: false,
        lastError: "",
      };
      this.slots.push(slot);
      ready.push(this.spawn(slot));
    }
    await Promise.all(ready);
  }

  /** Terminates the workers; queued and in-flight jobs are rejected. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const stopped = new CodedError(SdkErrors.Internal, "signature verifier pool stopped");
    for (const p of this.queue) p.reject(stopped);
    this.queue = [];
    this.queuedBytes = 0;
    const exits: Promise<number>[] = [];
    for (const slot of this.slots) {
      slot.stopping = true;
      this.failInFlight(slot, stopped);
      if (slot.worker !== null) exits.push(slot.worker.terminate());
      slot.worker = null;
    }
    this.slots.length = 0;
    await Promise.all(exits);
  }

  /** Resolves true iff the signature is valid; never rejects for bad input, only if the pool fails. */
  verify(job: VerifyJob): Promise<boolean> {
    if (!this.running) {
      return Promise.reject(new CodedError(SdkErrors.Internal, "signature verifier pool is not started"));
    }
    // Cheap rejections that need no worker (and keep the one-byte length fields in range).
    if (
      TYPE_CODE[job.type] === undefined ||
      job.signature.length !== 64 ||
      job.pubkey.length > 255 ||
      job.message.length > 0xffffffff
    ) {
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.queuedBytes += JOB_HEADER_BYTES + job.pubkey.length + job.signature.length + job.message.length;
      if (this.queue.length >= this.maxBatch || this.queuedBytes >= MAX_BATCH_BYTES) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        // setImmediate, not a microtask: collects every verify() issued during this event-loop turn.
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  stats(): VerifierPoolStats {
    let inFlight = 0;
    for (const s of this.slots) inFlight += s.load;
    return { threads: this.slots.length, queued: this.queue.length, inFlight, replaced: this.replaced };
  }

  /** Fault injection for tests: worker `index` throws, as a crash would, when its next batch arrives. */
  crashWorkerForTest(index: number): void {
    this.slots[index]?.worker?.postMessage({ crashOnNextBatch: true });
  }

  private spawn(slot: Slot): Promise<void> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { cacheSize: this.cacheSize, nativePath: this.nativePath },
    });
    worker.unref();
    slot.worker = worker;
    slot.online = false;
    slot.lastError = "";
    return new Promise<void>((resolve) => {
      worker.once("online", () => {
        slot.online = true;
        resolve();
        // Jobs may have queued while no worker could take them.
        if (this.queue.length > 0) this.flush();
      });
      worker.on("message", (m: { id: number; results: Uint8Array }) => this.onResults(slot, m));
      // Without an 'error' listener a worker exception would crash the whole node.
      worker.on("error", (err) => {
        slot.lastError = err.message;
      });
      worker.once("exit", (code) => {
        resolve();
        if (slot.worker !== worker) return;
        slot.worker = null;
        if (slot.stopping || !this.running) return;
        this.onCrash(slot, code);
      });
    });
  }

  private onCrash(slot: Slot, code: number): void {
    const wasOnline = slot.online;
    slot.online = false;
    this.failInFlight(
      slot,
      new CodedError(
        SdkErrors.Internal,
        `signature verification worker crashed (exit ${code}${slot.lastError ? `: ${slot.lastError}` : ""})`,
      ),
    );
    this.replaced++;
    if (wasOnline) {
      void this.spawn(slot);
      return;
    }
    setTimeout(() => {
      if (this.running && slot.worker === null && this.slots.includes(slot)) void this.spawn(slot);
    }, RESPAWN_BACKOFF_MS).unref();
  }

  private failInFlight(slot: Slot, err: Error): void {
    for (const batch of slot.inFlight.values()) for (const p of batch) p.reject(err);
    slot.inFlight.clear();
    slot.load = 0;
  }

  private onResults(slot: Slot, m: { id: number; results: Uint8Array }): void {
    const batch = slot.inFlight.get(m.id);
    if (batch === undefined) return;
    slot.inFlight.delete(m.id);
    slot.load -= batch.length;
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(m.results[i] === 1);
    if (slot.load === 0) slot.worker?.unref();
  }

  private pickSlot(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (s.worker === null) continue;
      if (best === undefined || s.load < best.load) best = s;
    }
    return best;
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const slot = this.pickSlot();
      if (slot === undefined) return; // every worker is being respawned; spawn() flushes when one is up
      const take = this.takeBatch();
      this.post(slot, take);
    }
  }

  /** Removes the next batch from the queue, bounded by job count and bytes. */
  private takeBatch(): Pending[] {
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && n < this.maxBatch) {
      const j = this.queue[n]!.job;
      const size = JOB_HEADER_BYTES + j.pubkey.length + j.signature.length + j.message.length;
      if (n > 0 && bytes + size > MAX_BATCH_BYTES) break;
      bytes += size;
      n++;
    }
    const batch = this.queue.splice(0, n);
    this.queuedBytes -= bytes;
    return batch;
  }

  private post(slot: Slot, batch: Pending[]): void {
    let total = 0;
    for (const { job } of batch)
      total += JOB_HEADER_BYTES + job.pubkey.length + job.signature.length + job.message.length;
    const buffer = new ArrayBuffer(total);
    const bytes = new Uint8Array(buffer);
    const view = new DataView(buffer);
    let p = 0;
    for (const { job } of batch) {
      bytes[p] = TYPE_CODE[job.type];
      bytes[p + 1] = job.pubkey.length;
      bytes[p + 2] = job.signature.length;
      view.setUint32(p + 4, job.message.length, true);
      p += JOB_HEADER_BYTES;
      bytes.set(job.pubkey, p);
      p += job.pubkey.length;
      bytes.set(job.signature, p);
      p += job.signature.length;
      bytes.set(job.message, p);
      p += job.message.length;
    }
    const id = this.nextBatchId++;
    slot.inFlight.set(id, batch);
    if (slot.load === 0) slot.worker!.ref();
    slot.load += batch.length;
    slot.worker!.postMessage({ id, count: batch.length, buffer }, [buffer]);
  }
}
