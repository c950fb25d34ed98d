/**
 * The anchor module: both sides of anchoring a chain's history into another chain. On a target
 * VIVIM network any account records checkpoints of other chains (MsgCheckpoint); on the source
 * chain the node's anchoring service records where each of its headers was anchored
 * (MsgRecordAnchor). No params and no genesis state.
 */
import { asObject, rejectUnknownKeys } from "../lib/genesis.js";
import type { ContractModule } from "../types.js";
import { msgCheckpoint } from "./msg-checkpoint.js";
import { msgRecordAnchor } from "./msg-record-anchor.js";
import { queryAnchors, queryAnchorsAt, queryCheckpoint, queryCheckpoints } from "./query.js";

export const anchorModule: ContractModule = {
  name: "anchor",
  msgs: [msgCheckpoint as never, msgRecordAnchor as never],
  queries: {
    "/vivim.anchor.v1.Query/Checkpoint": queryCheckpoint,
    "/vivim.anchor.v1.Query/Checkpoints": queryCheckpoints,
    "/vivim.anchor.v1.Query/AnchorsAt": queryAnchorsAt,
    "/vivim.anchor.v1.Query/Anchors": queryAnchors,
  },
  validateGenesis(state) {
    rejectUnknownKeys(asObject(state ?? {}, "app_state.anchor"), [], "app_state.anchor");
  },
  initGenesis() {},
};
