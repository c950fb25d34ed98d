/**
 * `vivim/client`: what a script or app imports to act on a VIVIM network with cosmjs. Each module's
 * Msg and query types are exported with `encode`, `decode` and `fromPartial`.
 */
export type { DeepPartial, ProtoMessage } from "../chain/codec/proto-message.js";
export { connectVivim, DEFAULT_GAS_PRICE, type VivimEncodeObject, vivimMsg } from "./connect.js";
export { vivimRegistry, vivimTypes } from "./registry.js";
