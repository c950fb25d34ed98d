/** Event types of the workers module: worker and authority indexed, the reason not. */
import { indexedEvent } from "../lib/events.js";
import type { AbciEvent } from "../types.js";

export const WorkersEvents = {
  WorkerPaused: "vivim.workers.v1.EventWorkerPaused",
  WorkerResumed: "vivim.workers.v1.EventWorkerResumed",
  AuditAnchored: "vivim.workers.v1.EventAuditAnchored",
} as const;

/** `worker` is "" for the global switch. */
export function pauseEvent(paused: boolean, worker: string, reason: string, authority: string): AbciEvent {
  return indexedEvent(
    paused ? WorkersEvents.WorkerPaused : WorkersEvents.WorkerResumed,
    { worker, reason, authority },
    ["reason"],
  );
}

/** Signer and log indexed; the range and hashes (hex) not. */
export function auditAnchoredEvent(a: {
  signer: string;
  log: string;
  fromSeq: bigint;
  toSeq: bigint;
  root: Uint8Array;
  headHash: Uint8Array;
}): AbciEvent {
  return indexedEvent(
    WorkersEvents.AuditAnchored,
    {
      signer: a.signer,
      log: a.log,
      from_seq: a.fromSeq.toString(),
      to_seq: a.toSeq.toString(),
      root: Buffer.from(a.root).toString("hex"),
      head_hash: Buffer.from(a.headHash).toString("hex"),
    },
    ["from_seq", "to_seq", "root", "head_hash"],
  );
}
