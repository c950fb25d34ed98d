/** Queries of the anchor module (proto/vivim/anchor/v1/query.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { CodedError, isCodedError, SdkErrors } from "../../chain/errors/codes.js";
import { defineQuery } from "../lib/define.js";
import { paginate } from "../lib/pagination.js";
import { PageRequest, PageResponse } from "../lib/proto-common.js";
import { getCheckpoint } from "./keeper.js";
import { AnchorKeys } from "./keys.js";
import { AnchorRecord, Checkpoint } from "./records.js";
import { checkChainId, checkHeight } from "./validate.js";

export interface QueryCheckpointRequest {
  chainId: string;
  height: bigint;
}
export const QueryCheckpointRequest = defineMessage<QueryCheckpointRequest>(
  "vivim.anchor.v1.QueryCheckpointRequest",
  [
    { no: 1, name: "chainId", kind: "string" },
    { no: 2, name: "height", kind: "int64" },
  ],
);

export interface QueryCheckpointResponse {
  /** Absent when no checkpoint of (chain_id, height) was recorded. */
  checkpoint: Checkpoint | undefined;
}
export const QueryCheckpointResponse = defineMessage<QueryCheckpointResponse>(
  "vivim.anchor.v1.QueryCheckpointResponse",
  [{ no: 1, name: "checkpoint", kind: "message", type: () => Checkpoint }],
);

export interface QueryCheckpointsRequest {
  chainId: string;
  pagination: PageRequest | undefined;
}
export const QueryCheckpointsRequest = defineMessage<QueryCheckpointsRequest>(
  "vivim.anchor.v1.QueryCheckpointsRequest",
  [
    { no: 1, name: "chainId", kind: "string" },
    { no: 2, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryCheckpointsResponse {
  /** Latest height first. */
  checkpoints: Checkpoint[];
  pagination: PageResponse | undefined;
}
export const QueryCheckpointsResponse = defineMessage<QueryCheckpointsResponse>(
  "vivim.anchor.v1.QueryCheckpointsResponse",
  [
    { no: 1, name: "checkpoints", kind: "message", type: () => Checkpoint, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

export interface QueryAnchorsAtRequest {
  height: bigint;
}
export const QueryAnchorsAtRequest = defineMessage<QueryAnchorsAtRequest>(
  "vivim.anchor.v1.QueryAnchorsAtRequest",
  [{ no: 1, name: "height", kind: "int64" }],
);

export interface QueryAnchorsAtResponse {
  /** One per anchoring account, by signer. */
  anchors: AnchorRecord[];
}
export const QueryAnchorsAtResponse = defineMessage<QueryAnchorsAtResponse>(
  "vivim.anchor.v1.QueryAnchorsAtResponse",
  [{ no: 1, name: "anchors", kind: "message", type: () => AnchorRecord, repeated: true }],
);

export interface QueryAnchorsRequest {
  pagination: PageRequest | undefined;
}
export const QueryAnchorsRequest = defineMessage<QueryAnchorsRequest>("vivim.anchor.v1.QueryAnchorsRequest", [
  { no: 1, name: "pagination", kind: "message", type: () => PageRequest },
]);

export interface QueryAnchorsResponse {
  /** Latest height first. */
  anchors: AnchorRecord[];
  pagination: PageResponse | undefined;
}
export const QueryAnchorsResponse = defineMessage<QueryAnchorsResponse>(
  "vivim.anchor.v1.QueryAnchorsResponse",
  [
    { no: 1, name: "anchors", kind: "message", type: () => AnchorRecord, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

/** The anchoring accounts one height can list: far more than a permissioned network has validators. */
export const MAX_ANCHORS_AT_HEIGHT = 100;

/** A request field that breaks a Msg rule is the caller's mistake: InvalidRequest, not a crash. */
function asRequestError(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (isCodedError(err)) throw new CodedError(SdkErrors.InvalidRequest, err.log);
    throw err;
  }
}

export const queryCheckpoint = defineQuery(QueryCheckpointRequest, QueryCheckpointResponse, (ctx, req) => {
  asRequestError(() => {
    checkChainId(req.chainId, "chain_id");
    checkHeight(req.height, "height");
  });
  const checkpoint = getCheckpoint(ctx, req.chainId, req.height);
  return checkpoint ? { checkpoint } : {};
});

export const queryCheckpoints = defineQuery(
  QueryCheckpointsRequest,
  QueryCheckpointsResponse,
  async (ctx, req) => {
    asRequestError(() => checkChainId(req.chainId, "chain_id"));
    const { entries, pagination } = await paginate(
      ctx,
      AnchorKeys.checkpointsPrefix(req.chainId),
      req.pagination,
    );
    return { checkpoints: entries.map(([, v]) => Checkpoint.decode(v)), pagination };
  },
);

export const queryAnchorsAt = defineQuery(QueryAnchorsAtRequest, QueryAnchorsAtResponse, async (ctx, req) => {
  asRequestError(() => checkHeight(req.height, "height"));
  const rows = await ctx.range(AnchorKeys.anchorsAt(req.height), { limit: MAX_ANCHORS_AT_HEIGHT });
  return { anchors: rows.map(([, v]) => AnchorRecord.decode(v)) };
});

export const queryAnchors = defineQuery(QueryAnchorsRequest, QueryAnchorsResponse, async (ctx, req) => {
  const { entries, pagination } = await paginate(ctx, AnchorKeys.anchorsPrefix(), req.pagination);
  return { anchors: entries.map(([, v]) => AnchorRecord.decode(v)), pagination };
});
