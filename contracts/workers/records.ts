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
