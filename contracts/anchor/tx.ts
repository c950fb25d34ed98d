/** Msgs of the anchor module and their responses (proto/vivim/anchor/v1/tx.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";

export interface MsgCheckpoint {
  submitter: string;
  /** The chain checkpointed: not this one. */
  sourceChainId: string;
  height: bigint;
  /** 32 bytes. */
  headerHash: Uint8Array;
  /** At most 64 bytes. */
  appHash: Uint8Array;
}

export const MsgCheckpoint = defineMessage<MsgCheckpoint>("vivim.anchor.v1.MsgCheckpoint", [
  { no: 1, name: "submitter", kind: "string" },
  { no: 2, name: "sourceChainId", kind: "string" },
  { no: 3, name: "height", kind: "int64" },
  { no: 4, name: "headerHash", kind: "bytes" },
  { no: 5, name: "appHash", kind: "bytes" },
]);

export interface MsgCheckpointResponse {
  /** True when the same checkpoint was recorded before (a retried broadcast). */
  alreadyRecorded: boolean;
}
export const MsgCheckpointResponse = defineMessage<MsgCheckpointResponse>(
  "vivim.anchor.v1.MsgCheckpointResponse",
  [{ no: 1, name: "alreadyRecorded", kind: "bool" }],
);

export interface MsgRecordAnchor {
  signer: string;
  /** This chain's anchored height, below the recording block. */
  height: bigint;
  headerHash: Uint8Array;
  appHash: Uint8Array;
  targetChainId: string;
  /** 64 hex digits; stored upper-case. */
  targetTxHash: string;
  targetHeight: bigint;
  /** "memo" or "vivim". */
  mode: string;
}

export const MsgRecordAnchor = defineMessage<MsgRecordAnchor>("vivim.anchor.v1.MsgRecordAnchor", [
  { no: 1, name: "signer", kind: "string" },
  { no: 2, name: "height", kind: "int64" },
  { no: 3, name: "headerHash", kind: "bytes" },
  { no: 4, name: "appHash", kind: "bytes" },
  { no: 5, name: "targetChainId", kind: "string" },
  { no: 6, name: "targetTxHash", kind: "string" },
  { no: 7, name: "targetHeight", kind: "int64" },
  { no: 8, name: "mode", kind: "string" },
]);

export interface MsgRecordAnchorResponse {
  alreadyRecorded: boolean;
}
export const MsgRecordAnchorResponse = defineMessage<MsgRecordAnchorResponse>(
  "vivim.anchor.v1.MsgRecordAnchorResponse",
  [{ no: 1, name: "alreadyRecorded", kind: "bool" }],
);
