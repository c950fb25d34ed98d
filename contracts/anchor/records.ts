/** Stored records of the anchor module (proto/vivim/anchor/v1/types.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";

/** A checkpoint of another chain's header, recorded here (this chain is the anchoring target). */
export interface Checkpoint {
  chainId: string;
  height: bigint;
  /** 32 bytes. */
  headerHash: Uint8Array;
  /** At most 64 bytes. */
  appHash: Uint8Array;
  submitter: string;
  /** This chain's block that recorded it, and its time (seconds). */
  recordedHeight: bigint;
  recordedTime: bigint;
}

export const Checkpoint = defineMessage<Checkpoint>("vivim.anchor.v1.Checkpoint", [
  { no: 1, name: "chainId", kind: "string" },
  { no: 2, name: "height", kind: "int64" },
  { no: 3, name: "headerHash", kind: "bytes" },
  { no: 4, name: "appHash", kind: "bytes" },
  { no: 5, name: "submitter", kind: "string" },
  { no: 6, name: "recordedHeight", kind: "int64" },
  { no: 7, name: "recordedTime", kind: "int64" },
]);

/** An anchor of this chain's header on another chain, as the anchoring account reported it. */
export interface AnchorRecord {
  height: bigint;
  headerHash: Uint8Array;
  appHash: Uint8Array;
  targetChainId: string;
  /** 64 upper-case hex digits. */
  targetTxHash: string;
  targetHeight: bigint;
  /** "memo" or "vivim": how to find it on the target. */
  mode: string;
  signer: string;
  recordedHeight: bigint;
  recordedTime: bigint;
}

export const AnchorRecord = defineMessage<AnchorRecord>("vivim.anchor.v1.AnchorRecord", [
  { no: 1, name: "height", kind: "int64" },
  { no: 2, name: "headerHash", kind: "bytes" },
  { no: 3, name: "appHash", kind: "bytes" },
  { no: 4, name: "targetChainId", kind: "string" },
  { no: 5, name: "targetTxHash", kind: "string" },
  { no: 6, name: "targetHeight", kind: "int64" },
  { no: 7, name: "mode", kind: "string" },
  { no: 8, name: "signer", kind: "string" },
  { no: 9, name: "recordedHeight", kind: "int64" },
  { no: 10, name: "recordedTime", kind: "int64" },
]);
