/** Workers REST routes (`/vivim/workers/v1/...`) over the module's gRPC-style queries. */
import {
  QueryPauseStateRequest,
  QueryPauseStateResponse,
  QueryWorkersParamsRequest,
  QueryWorkersParamsResponse,
} from "../../../contracts/workers/query.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

const Q = "/vivim.workers.v1.Query";

export const workersRoutes: readonly Route[] = [
  moduleQueryRoute({
    name: "workers.pause_state",
    pattern: /^\/vivim\/workers\/v1\/pause_state$/,
    path: `${Q}/PauseState`,
    request: QueryPauseStateRequest,
    response: QueryPauseStateResponse,
    build: () => ({}),
  }),
  moduleQueryRoute({
    name: "workers.params",
    pattern: /^\/vivim\/workers\/v1\/params$/,
    path: `${Q}/Params`,
    request: QueryWorkersParamsRequest,
    response: QueryWorkersParamsResponse,
    build: () => ({}),
  }),
];
