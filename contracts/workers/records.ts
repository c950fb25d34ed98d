/** Stored records of the workers module (proto/vivim/workers/v1/types.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";

export interface WorkersParams {
  /** Who may pause and resume workers: the gov module account by default. */
  authority: string;
}

export const WorkersParams = defineMessage<WorkersParams>("vivim.workers.v1.Params", [
  { no: 1, name: "authority", kind: "string" },
]);

/** A pause in force: of one worker, or of all of them (worker ""). */
export interface PausedWorker {
  worker: string;
  /** Height of the block that paused it. */
  pausedHeight: bigint;
  reason: string;
}

export const PausedWorker = defineMessage<PausedWorker>("vivim.workers.v1.PausedWorker", [
  { no: 1, name: "worker", kind: "string" },
  { no: 2, name: "pausedHeight", kind: "int64" },
  { no: 3, name: "reason", kind: "string" },
]);

export interface PausedWorkers {
  /** Sorted by name, at most MAX_PAUSED_WORKERS. */
  workers: PausedWorker[];
}

export const PausedWorkers = defineMessage<PausedWorkers>("vivim.workers.v1.PausedWorkers", [
  { no: 1, name: "workers", kind: "message", type: () => PausedWorker, repeated: true },
]);

/** A Merkle root of a range of one account's off-chain audit log (workers/audit/), as anchored. */
export interface AuditAnchor {
  /** The account that anchored it: the log's owner. */
  signer: string;
  /** The log's name (the agent's), ^[a-z0-9-]{1,32}$. */
  log: string;
  /** The range of record seqs, inclusive; ranges of one (signer, log) are contiguous from 1. */
  fromSeq: bigint;
  toSeq: bigint;
  /** 32 bytes: the Merkle root over the records' hashes from..to (chain/block/merkle.ts). */
  root: Uint8Array;
  /** 32 bytes: record to_seq's hash. */
  headHash: Uint8Array;
  /** The block that anchored it, and its time (seconds). */
  height: bigint;
  time: bigint;
}

export const AuditAnchor = defineMessage<AuditAnchor>("vivim.workers.v1.AuditAnchor", [
  { no: 1, name: "signer", kind: "string" },
  { no: 2, name: "log", kind: "string" },
  { no: 3, name: "fromSeq", kind: "uint64" },
  { no: 4, name: "toSeq", kind: "uint64" },
  { no: 5, name: "root", kind: "bytes" },
  { no: 6, name: "headHash", kind: "bytes" },
  { no: 7, name: "height", kind: "int64" },
  { no: 8, name: "time", kind: "int64" },
]);
