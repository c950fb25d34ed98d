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
