/** Queries of the workers module (proto/vivim/workers/v1/query.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { defineQuery } from "../lib/define.js";
import { getWorkersParams } from "./params.js";
import { PausedWorker, WorkersParams } from "./records.js";
import { workerPauseState } from "./state.js";

export type QueryPauseStateRequest = Record<string, never>;
export const QueryPauseStateRequest = defineMessage<QueryPauseStateRequest>(
  "vivim.workers.v1.QueryPauseStateRequest",
  [],
);

export interface QueryPauseStateResponse {
  /** The global switch: every worker stops. */
  allPaused: boolean;
  /** The global pause's reason and height ("" and 0 when not paused). */
  reason: string;
  pausedHeight: bigint;
  /** Workers paused one by one, sorted by name (independent of the global switch). */
  workers: PausedWorker[];
}
export const QueryPauseStateResponse = defineMessage<QueryPauseStateResponse>(
  "vivim.workers.v1.QueryPauseStateResponse",
  [
    { no: 1, name: "allPaused", kind: "bool" },
    { no: 2, name: "reason", kind: "string" },
    { no: 3, name: "pausedHeight", kind: "int64" },
    { no: 4, name: "workers", kind: "message", type: () => PausedWorker, repeated: true },
  ],
);

export type QueryWorkersParamsRequest = Record<string, never>;
export const QueryWorkersParamsRequest = defineMessage<QueryWorkersParamsRequest>(
  "vivim.workers.v1.QueryParamsRequest",
  [],
);

export interface QueryWorkersParamsResponse {
  params: WorkersParams | undefined;
}
export const QueryWorkersParamsResponse = defineMessage<QueryWorkersParamsResponse>(
  "vivim.workers.v1.QueryParamsResponse",
  [{ no: 1, name: "params", kind: "message", type: () => WorkersParams }],
);

export const queryPauseState = defineQuery(QueryPauseStateRequest, QueryPauseStateResponse, (ctx) => {
  const s = workerPauseState(ctx);
  return {
    allPaused: s.allPaused,
    reason: s.reason,
    pausedHeight: s.since,
    workers: s.workers.map((w) => ({ worker: w.worker, reason: w.reason, pausedHeight: w.since })),
  };
});

export const queryWorkersParams = defineQuery(
  QueryWorkersParamsRequest,
  QueryWorkersParamsResponse,
  (ctx) => ({
    params: getWorkersParams(ctx),
  }),
);
