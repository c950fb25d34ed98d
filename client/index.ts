/**
 * `vivim/client`: what a script or app imports to act on a VIVIM network with cosmjs. Each module's
 * Msg and query types are exported with `encode`, `decode` and `fromPartial`.
 */
export type { DeepPartial, ProtoMessage } from "../chain/codec/proto-message.js";
export * from "../contracts/anchor/types.js";
export { QueryCardRequest, QueryCardResponse } from "../contracts/cards/card.js";
export * from "../contracts/escrow/types.js";
export * from "../contracts/gov/types.js";
export * from "../contracts/identity/types.js";
export * from "../contracts/labels/types.js";
export * from "../contracts/reputation/types.js";
export * from "../contracts/social/types.js";
export * from "../contracts/treasury/types.js";
export * from "../contracts/workers/types.js";
export {
  type BroadcastOptions,
  connectVivim,
  DEFAULT_GAS_PRICE,
  msgResponse,
  VivimClient,
  type VivimEncodeObject,
  VivimTxError,
  vivimMsg,
} from "./connect.js";
/** End-to-end encrypted direct messages: keys, sessions, envelopes, groups (client side only). */
export * as dm from "./dm/index.js";
export { vivimRegistry, vivimTypes } from "./registry.js";
