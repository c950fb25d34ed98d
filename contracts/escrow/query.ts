/** Queries of the escrow module (proto/vivim/escrow/v1/query.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { defineQuery } from "../lib/define.js";
import { paginate } from "../lib/pagination.js";
import { PageRequest, PageResponse } from "../lib/proto-common.js";
import type { QueryContext } from "../types.js";
import { getBounty } from "./keeper.js";
import { EscrowKeys, idFromIndexKey } from "./keys.js";
import { getEscrowParams } from "./params.js";
import { BOUNTY_STATUS_NAMES, Bounty, BountyStatus, EscrowParams } from "./records.js";

export const DEFAULT_PAGE = 20n;
export const MAX_PAGE = 100n;

export interface QueryBountyRequest {
  id: bigint;
}
export const QueryBountyRequest = defineMessage<QueryBountyRequest>("vivim.escrow.v1.QueryBountyRequest", [
  { no: 1, name: "id", kind: "uint64" },
]);

export interface QueryBountyResponse {
  bounty: Bounty | undefined;
}
export const QueryBountyResponse = defineMessage<QueryBountyResponse>("vivim.escrow.v1.QueryBountyResponse", [
  { no: 1, name: "bounty", kind: "message", type: () => Bounty },
]);

export interface QueryBountiesRequest {
  /** 0 (unspecified) = any status. */
  status: BountyStatus;
  /** At most one of creator and worker. */
  creator: string;
  worker: string;
  pagination: PageRequest | undefined;
}
export const QueryBountiesRequest = defineMessage<QueryBountiesRequest>(
  "vivim.escrow.v1.QueryBountiesRequest",
  [
    { no: 1, name: "status", kind: "enum", values: BOUNTY_STATUS_NAMES },
    { no: 2, name: "creator", kind: "string" },
    { no: 3, name: "worker", kind: "string" },
    { no: 4, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryBountiesResponse {
  bounties: Bounty[];
  pagination: PageResponse | undefined;
}
export const QueryBountiesResponse = defineMessage<QueryBountiesResponse>(
  "vivim.escrow.v1.QueryBountiesResponse",
  [
    { no: 1, name: "bounties", kind: "message", type: () => Bounty, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

export type QueryEscrowParamsRequest = Record<string, never>;
export const QueryEscrowParamsRequest = defineMessage<QueryEscrowParamsRequest>(
  "vivim.escrow.v1.QueryParamsRequest",
  [],
);

export interface QueryEscrowParamsResponse {
  params: EscrowParams | undefined;
}
export const QueryEscrowParamsResponse = defineMessage<QueryEscrowParamsResponse>(
  "vivim.escrow.v1.QueryParamsResponse",
  [{ no: 1, name: "params", kind: "message", type: () => EscrowParams }],
);

/** A page request bounded as the social queries are: default 20, at most 100, key paging only. */
export function boundedPage(page: PageRequest | undefined): PageRequest {
  const limit = page?.limit ? page.limit : DEFAULT_PAGE;
  if (limit > MAX_PAGE)
    throw new CodedError(SdkErrors.InvalidRequest, `pagination limit must be at most ${MAX_PAGE}`);
  if (page?.offset) throw new CodedError(SdkErrors.InvalidRequest, "use pagination.key, not offset");
  if (page?.reverse)
    throw new CodedError(SdkErrors.InvalidRequest, "lists are newest first; reverse is not supported");
  return {
    key: page?.key ?? new Uint8Array(),
    offset: 0n,
    limit,
    countTotal: false,
    reverse: false,
  };
}

function address(field: string, value: string): string {
  try {
    decodeAddress(value);
  } catch {
    throw new CodedError(SdkErrors.InvalidRequest, `${field} is not a valid address`);
  }
  return value;
}

function listPrefix(req: QueryBountiesRequest): Uint8Array {
  if (req.creator && req.worker)
    throw new CodedError(SdkErrors.InvalidRequest, "filter by creator or by worker, not both");
  const status = req.status;
  if (!Number.isInteger(status) || status < 0 || status > BountyStatus.CANCELLED)
    throw new CodedError(SdkErrors.InvalidRequest, `unknown status ${status}`);
  if (req.creator) {
    const c = address("creator", req.creator);
    return status ? EscrowKeys.creatorStatusPrefix(c, status) : EscrowKeys.creatorPrefix(c);
  }
  if (req.worker) {
    const w = address("worker", req.worker);
    return status ? EscrowKeys.workerStatusPrefix(w, status) : EscrowKeys.workerPrefix(w);
  }
  return status ? EscrowKeys.statusPrefix(status) : EscrowKeys.allPrefix();
}

export const queryBounty = defineQuery(QueryBountyRequest, QueryBountyResponse, (ctx, req) => {
  if (req.id === 0n) throw new CodedError(SdkErrors.InvalidRequest, "id must be positive");
  const bounty = getBounty(ctx, req.id);
  if (!bounty) throw new CodedError(SdkErrors.NotFound, `bounty ${req.id}`);
  return { bounty };
});

export const queryBounties = defineQuery(
  QueryBountiesRequest,
  QueryBountiesResponse,
  async (ctx: QueryContext, req) => {
    const prefix = listPrefix(req);
    const { entries, pagination } = await paginate(ctx, prefix, boundedPage(req.pagination));
    const bounties: Bounty[] = [];
    for (const [k] of entries) {
      const b = getBounty(ctx, idFromIndexKey(k));
      if (b) bounties.push(b);
    }
    return { bounties, pagination };
  },
);

export const queryEscrowParams = defineQuery(QueryEscrowParamsRequest, QueryEscrowParamsResponse, (ctx) => ({
  params: getEscrowParams(ctx),
}));
