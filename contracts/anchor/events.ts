/** Event types of the anchor module: chain ids, heights and signers indexed; hashes not. */
import { indexedEvent } from "../lib/events.js";
import type { AbciEvent } from "../types.js";
import type { AnchorRecord, Checkpoint } from "./records.js";

export const AnchorEvents = {
  Checkpoint: "vivim.anchor.v1.EventCheckpoint",
  AnchorRecorded: "vivim.anchor.v1.EventAnchorRecorded",
} as const;

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

export function checkpointEvent(c: Checkpoint): AbciEvent {
  return indexedEvent(
    AnchorEvents.Checkpoint,
    {
      chain_id: c.chainId,
      height: c.height.toString(),
      header_hash: hex(c.headerHash),
      app_hash: hex(c.appHash),
      submitter: c.submitter,
    },
    ["header_hash", "app_hash"],
  );
}

export function anchorRecordedEvent(a: AnchorRecord): AbciEvent {
  return indexedEvent(
    AnchorEvents.AnchorRecorded,
    {
      height: a.height.toString(),
      header_hash: hex(a.headerHash),
      target_chain_id: a.targetChainId,
      target_tx_hash: a.targetTxHash,
      target_height: a.targetHeight.toString(),
      mode: a.mode,
      signer: a.signer,
    },
    ["header_hash", "target_height", "mode"],
  );
}
