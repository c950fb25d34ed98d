/** Workers REST routes (`/vivim/workers/v1/...`) over the module's gRPC-style queries. */
import {
  QueryAuditAnchorsRequest,
  QueryAuditAnchorsResponse,
  QueryLatestAuditAnchorRequest,
  QueryLatestAuditAnchorResponse,
  QueryPauseStateRequest,
  QueryPauseStateResponse,
  QueryWorkersParamsRequest,
  QueryWorkersParamsResponse,
} from "../../../contracts/workers/query.js";
import { badRequest } from "../http.js";
import { addressParam, pageRequestParam } from "../params.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

const Q = "/vivim.workers.v1.Query";

function logParam(text: string): string {
  if (!/^[a-z0-9-]{1,32}$/.test(text)) throw badRequest("log must match ^[a-z0-9-]{1,32}$");
  return text;
}

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
  // GET /vivim/workers/v1/audit_anchors/vivim1…/moderation?pagination.limit=10
  moduleQueryRoute({
    name: "workers.audit_anchors",
    pattern: /^\/vivim\/workers\/v1\/audit_anchors\/([^/]+)\/([^/]+)$/,
    path: `${Q}/AuditAnchors`,
    request: QueryAuditAnchorsRequest,
    response: QueryAuditAnchorsResponse,
    build: (req) => ({
      signer: addressParam(req.params[0] ?? ""),
      log: logParam(req.params[1] ?? ""),
      pagination: pageRequestParam(req.query),
    }),
  }),
  // GET /vivim/workers/v1/audit_anchors/vivim1…/moderation/latest
  moduleQueryRoute({
    name: "workers.latest_audit_anchor",
    pattern: /^\/vivim\/workers\/v1\/audit_anchors\/([^/]+)\/([^/]+)\/latest$/,
    path: `${Q}/LatestAuditAnchor`,
    request: QueryLatestAuditAnchorRequest,
    response: QueryLatestAuditAnchorResponse,
    build: (req) => ({ signer: addressParam(req.params[0] ?? ""), log: logParam(req.params[1] ?? "") }),
  }),
];
