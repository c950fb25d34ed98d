/**
 * Queries of the reputation module (proto/vivim/reputation/v1/query.proto), served over abci_query
 * at `/vivim.reputation.v1.Query/<Name>` and over REST (chain/api/routes/reputation.ts). Lists are
 * one prefix range each, newest first, with cursor pagination (default 20, at most 100 a page).
 */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { defineQuery } from "../lib/define.js";
import { paginate } from "../lib/pagination.js";
import { PageRequest, PageResponse } from "../lib/proto-common.js";
import { key } from "../lib/store.js";
import type { QueryContext } from "../types.js";
import { getInteraction, getKarma, Interaction } from "./interactions.js";
import {
  ATTESTATION_PREFIX,
  attestationsOfPrefix,
  getAttestationCount,
  getRating,
  getRatingSummary,
  RATING_PREFIX,
  ratingsByPrefix,
  ratingsOfPrefix,
} from "./keeper.js";
import { getReputationParams, ReputationParams } from "./params.js";
import { getScore, isLimitedReach } from "./reach.js";
import { Attestation, Rating, RatingSummary } from "./records.js";

// ---------------------------------------------------------------- types

export interface QueryReputationRequest {
  address: string;
}
export const QueryReputationRequest = defineMessage<QueryReputationRequest>(
  "vivim.reputation.v1.QueryReputationRequest",
  [{ no: 1, name: "address", kind: "string" }],
);

export interface QueryReputationResponse {
  address: string;
  /** EigenTrust score of the last epoch; the average scored account has 1_000_000. */
  score: bigint;
  karma: bigint;
  limitedReach: boolean;
  summary: RatingSummary | undefined;
  attestationCount: bigint;
}
export const QueryReputationResponse = defineMessage<QueryReputationResponse>(
  "vivim.reputation.v1.QueryReputationResponse",
  [
    { no: 1, name: "address", kind: "string" },
    { no: 2, name: "score", kind: "uint64" },
    { no: 3, name: "karma", kind: "int64" },
    { no: 4, name: "limitedReach", kind: "bool" },
    { no: 5, name: "summary", kind: "message", type: () => RatingSummary },
    { no: 6, name: "attestationCount", kind: "uint64" },
  ],
);

export interface QueryRatingsOfRequest {
  subject: string;
  pagination: PageRequest | undefined;
}
export const QueryRatingsOfRequest = defineMessage<QueryRatingsOfRequest>(
  "vivim.reputation.v1.QueryRatingsOfRequest",
  [
    { no: 1, name: "subject", kind: "string" },
    { no: 2, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryRatingsByRequest {
  rater: string;
  pagination: PageRequest | undefined;
}
export const QueryRatingsByRequest = defineMessage<QueryRatingsByRequest>(
  "vivim.reputation.v1.QueryRatingsByRequest",
  [
    { no: 1, name: "rater", kind: "string" },
    { no: 2, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryRatingsResponse {
  ratings: Rating[];
  pagination: PageResponse | undefined;
}
export const QueryRatingsOfResponse = defineMessage<QueryRatingsResponse>(
  "vivim.reputation.v1.QueryRatingsOfResponse",
  [
    { no: 1, name: "ratings", kind: "message", type: () => Rating, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);
export const QueryRatingsByResponse = defineMessage<QueryRatingsResponse>(
  "vivim.reputation.v1.QueryRatingsByResponse",
  [
    { no: 1, name: "ratings", kind: "message", type: () => Rating, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

export interface QueryRatingRequest {
  rater: string;
  subject: string;
}
export const QueryRatingRequest = defineMessage<QueryRatingRequest>(
  "vivim.reputation.v1.QueryRatingRequest",
  [
    { no: 1, name: "rater", kind: "string" },
    { no: 2, name: "subject", kind: "string" },
  ],
);

export interface QueryRatingResponse {
  rating: Rating | undefined;
}
export const QueryRatingResponse = defineMessage<QueryRatingResponse>(
  "vivim.reputation.v1.QueryRatingResponse",
  [{ no: 1, name: "rating", kind: "message", type: () => Rating }],
);

export interface QueryAttestationsRequest {
  subject: string;
  pagination: PageRequest | undefined;
}
export const QueryAttestationsRequest = defineMessage<QueryAttestationsRequest>(
  "vivim.reputation.v1.QueryAttestationsRequest",
  [
    { no: 1, name: "subject", kind: "string" },
    { no: 2, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryAttestationsResponse {
  attestations: Attestation[];
  pagination: PageResponse | undefined;
}
export const QueryAttestationsResponse = defineMessage<QueryAttestationsResponse>(
  "vivim.reputation.v1.QueryAttestationsResponse",
  [
    { no: 1, name: "attestations", kind: "message", type: () => Attestation, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

export interface QueryInteractionRequest {
  a: string;
  b: string;
}
export const QueryInteractionRequest = defineMessage<QueryInteractionRequest>(
  "vivim.reputation.v1.QueryInteractionRequest",
  [
    { no: 1, name: "a", kind: "string" },
    { no: 2, name: "b", kind: "string" },
  ],
);

export interface QueryInteractionResponse {
  interaction: Interaction | undefined;
}
export const QueryInteractionResponse = defineMessage<QueryInteractionResponse>(
  "vivim.reputation.v1.QueryInteractionResponse",
  [{ no: 1, name: "interaction", kind: "message", type: () => Interaction }],
);

export type QueryReputationParamsRequest = Record<string, never>;
export const QueryReputationParamsRequest = defineMessage<QueryReputationParamsRequest>(
  "vivim.reputation.v1.QueryParamsRequest",
  [],
);

export interface QueryReputationParamsResponse {
  params: ReputationParams | undefined;
}
export const QueryReputationParamsResponse = defineMessage<QueryReputationParamsResponse>(
  "vivim.reputation.v1.QueryParamsResponse",
  [{ no: 1, name: "params", kind: "message", type: () => ReputationParams }],
);

// ---------------------------------------------------------------- handlers

export const DEFAULT_PAGE_LIMIT = 20n;
export const MAX_PAGE_LIMIT = 100n;
const MAX_PAGE_OFFSET = 1000n;

function addressArg(value: string, name: string): Uint8Array {
  try {
    return decodeAddress(value);
  } catch (err) {
    throw new CodedError(
      SdkErrors.InvalidRequest,
      `${name}: ${err instanceof Error ? err.message : "invalid"}`,
    );
  }
}

/** The page with the module's bounds: default 20, at most 100 entries, offset at most 1000. */
function bounded(page: PageRequest | undefined): PageRequest {
  const p = page ?? PageRequest.fromPartial({});
  if (p.limit > MAX_PAGE_LIMIT)
    throw new CodedError(SdkErrors.InvalidRequest, `pagination limit must be at most ${MAX_PAGE_LIMIT}`);
  if (p.offset > MAX_PAGE_OFFSET)
    throw new CodedError(SdkErrors.InvalidRequest, `pagination offset must be at most ${MAX_PAGE_OFFSET}`);
  return { ...p, limit: p.limit === 0n ? DEFAULT_PAGE_LIMIT : p.limit };
}

function decodeAt<T>(ctx: QueryContext, k: Uint8Array, type: { decode(b: Uint8Array): T }): T {
  const b = ctx.get(k);
  // The lists and the records are written together; a miss would be a bug, not a user error.
  if (!b) throw new CodedError(SdkErrors.Internal, "reputation index out of sync");
  return type.decode(b);
}

export const queryReputation = defineQuery(QueryReputationRequest, QueryReputationResponse, (ctx, req) => {
  addressArg(req.address, "address");
  return {
    address: req.address,
    score: getScore(ctx, req.address),
    karma: getKarma(ctx, req.address),
    limitedReach: isLimitedReach(ctx, req.address),
    summary: getRatingSummary(ctx, req.address),
    attestationCount: getAttestationCount(ctx, req.address),
  };
});

export const queryRatingsOf = defineQuery(QueryRatingsOfRequest, QueryRatingsOfResponse, async (ctx, req) => {
  const subject = addressArg(req.subject, "subject");
  const { entries, pagination } = await paginate(ctx, ratingsOfPrefix(req.subject), bounded(req.pagination));
  return {
    ratings: entries.map(([, rater]) => decodeAt(ctx, key(RATING_PREFIX, rater, subject), Rating)),
    pagination,
  };
});

export const queryRatingsBy = defineQuery(QueryRatingsByRequest, QueryRatingsByResponse, async (ctx, req) => {
  const rater = addressArg(req.rater, "rater");
  const { entries, pagination } = await paginate(ctx, ratingsByPrefix(req.rater), bounded(req.pagination));
  return {
    ratings: entries.map(([, subject]) => decodeAt(ctx, key(RATING_PREFIX, rater, subject), Rating)),
    pagination,
  };
});

export const queryRating = defineQuery(QueryRatingRequest, QueryRatingResponse, (ctx, req) => {
  addressArg(req.rater, "rater");
  addressArg(req.subject, "subject");
  const rating = getRating(ctx, req.rater, req.subject);
  if (!rating) throw new CodedError(SdkErrors.NotFound, `no rating of ${req.subject} by ${req.rater}`);
  return { rating };
});

export const queryAttestations = defineQuery(
  QueryAttestationsRequest,
  QueryAttestationsResponse,
  async (ctx, req) => {
    const subject = addressArg(req.subject, "subject");
    const { entries, pagination } = await paginate(
      ctx,
      attestationsOfPrefix(req.subject),
      bounded(req.pagination),
    );
    return {
      attestations: entries.map(([, attester]) =>
        decodeAt(ctx, key(ATTESTATION_PREFIX, attester, subject), Attestation),
      ),
      pagination,
    };
  },
);

export const queryInteraction = defineQuery(QueryInteractionRequest, QueryInteractionResponse, (ctx, req) => {
  addressArg(req.a, "a");
  addressArg(req.b, "b");
  const interaction = getInteraction(ctx, req.a, req.b);
  if (!interaction) throw new CodedError(SdkErrors.NotFound, `no interaction between ${req.a} and ${req.b}`);
  return { interaction };
});

export const queryParams = defineQuery(
  QueryReputationParamsRequest,
  QueryReputationParamsResponse,
  (ctx) => ({
    params: getReputationParams(ctx),
  }),
);

export const REPUTATION_QUERIES = {
  "/vivim.reputation.v1.Query/Reputation": queryReputation,
  "/vivim.reputation.v1.Query/RatingsOf": queryRatingsOf,
  "/vivim.reputation.v1.Query/RatingsBy": queryRatingsBy,
  "/vivim.reputation.v1.Query/Rating": queryRating,
  "/vivim.reputation.v1.Query/Attestations": queryAttestations,
  "/vivim.reputation.v1.Query/Interaction": queryInteraction,
  "/vivim.reputation.v1.Query/Params": queryParams,
} as const;
