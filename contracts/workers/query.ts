/** Queries of the workers module (proto/vivim/workers/v1/query.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, isCodedError, SdkErrors } from "../../chain/errors/codes.js";
import { defineQuery } from "../lib/define.js";
import { paginate } from "../lib/pagination.js";
import { PageRequest, PageResponse } from "../lib/proto-common.js";
import { getLatestAuditAnchor } from "./audit-anchors.js";
import { WorkersKeys } from "./keys.js";
import { getWorkersParams } from "./params.js";
import { AuditAnchor, PausedWorker, WorkersParams } from "./records.js";
import { workerPauseState } from "./state.js";
import { checkAuditLogName } from "./validate.js";

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

export interface QueryAuditAnchorsRequest {
  signer: string;
  log: string;
  pagination: PageRequest | undefined;
}
export const QueryAuditAnchorsRequest = defineMessage<QueryAuditAnchorsRequest>(
  "vivim.workers.v1.QueryAuditAnchorsRequest",
  [
    { no: 1, name: "signer", kind: "string" },
    { no: 2, name: "log", kind: "string" },
    { no: 3, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryAuditAnchorsResponse {
  /** In seq order. */
  anchors: AuditAnchor[];
  pagination: PageResponse | undefined;
}
export const QueryAuditAnchorsResponse = defineMessage<QueryAuditAnchorsResponse>(
  "vivim.workers.v1.QueryAuditAnchorsResponse",
  [
    { no: 1, name: "anchors", kind: "message", type: () => AuditAnchor, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

export interface QueryLatestAuditAnchorRequest {
  signer: string;
  log: string;
}
export const QueryLatestAuditAnchorRequest = defineMessage<QueryLatestAuditAnchorRequest>(
  "vivim.workers.v1.QueryLatestAuditAnchorRequest",
  [
    { no: 1, name: "signer", kind: "string" },
    { no: 2, name: "log", kind: "string" },
  ],
);

export interface QueryLatestAuditAnchorResponse {
  /** Absent while the log has no anchor. */
  anchor: AuditAnchor | undefined;
}
export const QueryLatestAuditAnchorResponse = defineMessage<QueryLatestAuditAnchorResponse>(
  "vivim.workers.v1.QueryLatestAuditAnchorResponse",
  [{ no: 1, name: "anchor", kind: "message", type: () => AuditAnchor }],
);

/** Pages of anchors: 100 by default, at most 1000 (key paging; offset bounded by `paginate`). */
export const DEFAULT_ANCHOR_PAGE = 100n;
export const MAX_ANCHOR_PAGE = 1000n;

function checkSignerAndLog(signer: string, log: string): void {
  try {
    decodeAddress(signer);
  } catch {
    throw new CodedError(SdkErrors.InvalidRequest, "signer is not a valid address");
  }
  try {
    checkAuditLogName(log);
  } catch (err) {
    if (isCodedError(err)) throw new CodedError(SdkErrors.InvalidRequest, err.log);
    throw err;
  }
}

export const queryAuditAnchors = defineQuery(
  QueryAuditAnchorsRequest,
  QueryAuditAnchorsResponse,
  async (ctx, req) => {
    checkSignerAndLog(req.signer, req.log);
    const limit = req.pagination?.limit ? req.pagination.limit : DEFAULT_ANCHOR_PAGE;
    if (limit > MAX_ANCHOR_PAGE)
      throw new CodedError(SdkErrors.InvalidRequest, `pagination limit must be at most ${MAX_ANCHOR_PAGE}`);
    const page: PageRequest = {
      key: req.pagination?.key ?? new Uint8Array(),
      offset: req.pagination?.offset ?? 0n,
      limit,
      countTotal: req.pagination?.countTotal ?? false,
      reverse: req.pagination?.reverse ?? false,
    };
    const { entries, pagination } = await paginate(ctx, WorkersKeys.anchorsPrefix(req.signer, req.log), page);
    return { anchors: entries.map(([, v]) => AuditAnchor.decode(v)), pagination };
  },
);

export const queryLatestAuditAnchor = defineQuery(
  QueryLatestAuditAnchorRequest,
  QueryLatestAuditAnchorResponse,
  (ctx, req) => {
    checkSignerAndLog(req.signer, req.log);
    const anchor = getLatestAuditAnchor(ctx, req.signer, req.log);
    return anchor ? { anchor } : {};
  },
);
