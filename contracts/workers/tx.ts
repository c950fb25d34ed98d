/** Msgs of the workers module and their responses (proto/vivim/workers/v1/tx.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";

export interface MsgSetWorkerPause {
  /** Must be params.authority (the gov module account by default). */
  authority: string;
  /** "" = all workers (the global switch), else one worker's name. */
  worker: string;
  /** true pauses, false resumes. */
  paused: boolean;
  /** At most 280 bytes of UTF-8. */
  reason: string;
}

export const MsgSetWorkerPause = defineMessage<MsgSetWorkerPause>("vivim.workers.v1.MsgSetWorkerPause", [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "worker", kind: "string" },
  { no: 3, name: "paused", kind: "bool" },
  { no: 4, name: "reason", kind: "string" },
]);

export type MsgSetWorkerPauseResponse = Record<string, never>;
export const MsgSetWorkerPauseResponse = defineMessage<MsgSetWorkerPauseResponse>(
  "vivim.workers.v1.MsgSetWorkerPauseResponse",
  [],
);

export interface MsgAnchorAudit {
  /** The log's owner; any account may anchor its own logs. */
  signer: string;
  /** The log's name, ^[a-z0-9-]{1,32}$. */
  log: string;
  /** 1 for a log's first anchor, else the last anchor's to_seq + 1. */
  fromSeq: bigint;
  /** from_seq ≤ to_seq < from_seq + 100 000. */
  toSeq: bigint;
  /** 32 bytes: the Merkle root over the hashes of records from..to. */
  root: Uint8Array;
  /** 32 bytes: record to_seq's hash. */
  headHash: Uint8Array;
}

export const MsgAnchorAudit = defineMessage<MsgAnchorAudit>("vivim.workers.v1.MsgAnchorAudit", [
  { no: 1, name: "signer", kind: "string" },
  { no: 2, name: "log", kind: "string" },
  { no: 3, name: "fromSeq", kind: "uint64" },
  { no: 4, name: "toSeq", kind: "uint64" },
  { no: 5, name: "root", kind: "bytes" },
  { no: 6, name: "headHash", kind: "bytes" },
]);

export type MsgAnchorAuditResponse = Record<string, never>;
export const MsgAnchorAuditResponse = defineMessage<MsgAnchorAuditResponse>(
  "vivim.workers.v1.MsgAnchorAuditResponse",
  [],
);
