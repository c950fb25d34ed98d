/**
 * What `vivim/client` exports from the workers module: the Msgs, query types, records, the pure
 * pause-state readers and the field rules. Names are chosen not to clash with other modules'.
 */
export { WorkersErrors } from "./errors.js";
export { WorkersEvents } from "./events.js";
export {
  QueryAuditAnchorsRequest,
  QueryAuditAnchorsResponse,
  QueryLatestAuditAnchorRequest,
  QueryLatestAuditAnchorResponse,
  QueryPauseStateRequest,
  QueryPauseStateResponse,
  QueryWorkersParamsRequest,
  QueryWorkersParamsResponse,
} from "./query.js";
export { AuditAnchor, PausedWorker, PausedWorkers, WorkersParams } from "./records.js";
export { isWorkerPaused, type WorkerPauseInfo, type WorkerPauseState, workerPauseState } from "./state.js";
export {
  MsgAnchorAudit,
  MsgAnchorAuditResponse,
  MsgSetWorkerPause,
  MsgSetWorkerPauseResponse,
} from "./tx.js";
export {
  AUDIT_LOG_NAME,
  MAX_ANCHOR_RECORDS,
  MAX_PAUSED_WORKERS,
  MAX_REASON_BYTES,
  WORKER_NAME,
} from "./validate.js";
