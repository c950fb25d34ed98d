/** What `vivim/client` exports from the anchor module: the Msgs, query types, records and field rules. */
export { AnchorErrors } from "./errors.js";
export { AnchorEvents } from "./events.js";
export {
  QueryAnchorsAtRequest,
  QueryAnchorsAtResponse,
  QueryAnchorsRequest,
  QueryAnchorsResponse,
  QueryCheckpointRequest,
  QueryCheckpointResponse,
  QueryCheckpointsRequest,
  QueryCheckpointsResponse,
} from "./query.js";
export { AnchorRecord, Checkpoint } from "./records.js";
export { MsgCheckpoint, MsgCheckpointResponse, MsgRecordAnchor, MsgRecordAnchorResponse } from "./tx.js";
export {
  ANCHOR_MODES,
  type AnchorMode,
  CHAIN_ID,
  HEADER_HASH_BYTES,
  MAX_APP_HASH_BYTES,
} from "./validate.js";
