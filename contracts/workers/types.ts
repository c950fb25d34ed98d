/**
 * What `vivim/client` exports from the workers module: the Msg, query types, records, the pure
 * pause-state readers and the field rules. Names are chosen not to clash with other modules'.
 */
export { WorkersErrors } from "./errors.js";
export { WorkersEvents } from "./events.js";
export {
  QueryPauseStateRequest,
  QueryPauseStateResponse,
  QueryWorkersParamsRequest,
  QueryWorkersParamsResponse,
} from "./query.js";
export { PausedWorker, PausedWorkers, WorkersParams } from "./records.js";
export { isWorkerPaused, type WorkerPauseInfo, type WorkerPauseState, workerPauseState } from "./state.js";
export { MsgSetWorkerPause, MsgSetWorkerPauseResponse } from "./tx.js";
export { MAX_PAUSED_WORKERS, MAX_REASON_BYTES, WORKER_NAME } from "./validate.js";
