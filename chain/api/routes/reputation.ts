/** Reputation REST routes (`/vivim/reputation/v1/...`) over the module's gRPC-style queries. */
import {
  QueryAttestationsRequest,
  QueryAttestationsResponse,
  QueryInteractionRequest,
  QueryInteractionResponse,
  QueryRatingRequest,
  QueryRatingResponse,
  QueryRatingsByRequest,
  QueryRatingsByResponse,
  QueryRatingsOfRequest,
  QueryRatingsOfResponse,
  QueryReputationParamsRequest,
  QueryReputationParamsResponse,
  QueryReputationRequest,
  QueryReputationResponse,
} from "../../../contracts/reputation/query.js";
import { addressParam, pageRequestParam } from "../params.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

const BASE = "^\\/vivim\\/reputation\\/v1";
const Q = "/vivim.reputation.v1.Query";
const pattern = (rest: string) => new RegExp(`${BASE}${rest}$`);
const ADDR = "([^/]+)";

export const reputationRoutes: readonly Route[] = [
  moduleQueryRoute({
    name: "reputation.reputation",
    pattern: pattern(`\\/accounts\\/${ADDR}`),
    path: `${Q}/Reputation`,
    request: QueryReputationRequest,
    response: QueryReputationResponse,
    build: (req) => ({ address: addressParam(req.params[0] ?? "") }),
  }),
  moduleQueryRoute({
    name: "reputation.ratings_of",
    pattern: pattern(`\\/subjects\\/${ADDR}\\/ratings`),
    path: `${Q}/RatingsOf`,
    request: QueryRatingsOfRequest,
    response: QueryRatingsOfResponse,
    build: (req) => ({ subject: addressParam(req.params[0] ?? ""), pagination: pageRequestParam(req.query) }),
  }),
  moduleQueryRoute({
    name: "reputation.ratings_by",
    pattern: pattern(`\\/raters\\/${ADDR}\\/ratings`),
    path: `${Q}/RatingsBy`,
    request: QueryRatingsByRequest,
    response: QueryRatingsByResponse,
    build: (req) => ({ rater: addressParam(req.params[0] ?? ""), pagination: pageRequestParam(req.query) }),
  }),
  moduleQueryRoute({
    name: "reputation.rating",
    pattern: pattern(`\\/ratings\\/${ADDR}\\/${ADDR}`),
    path: `${Q}/Rating`,
    request: QueryRatingRequest,
    response: QueryRatingResponse,
    build: (req) => ({
      rater: addressParam(req.params[0] ?? ""),
      subject: addressParam(req.params[1] ?? ""),
    }),
  }),
  moduleQueryRoute({
    name: "reputation.attestations",
    pattern: pattern(`\\/subjects\\/${ADDR}\\/attestations`),
    path: `${Q}/Attestations`,
    request: QueryAttestationsRequest,
    response: QueryAttestationsResponse,
    build: (req) => ({ subject: addressParam(req.params[0] ?? ""), pagination: pageRequestParam(req.query) }),
  }),
  moduleQueryRoute({
    name: "reputation.interaction",
    pattern: pattern(`\\/interactions\\/${ADDR}\\/${ADDR}`),
    path: `${Q}/Interaction`,
    request: QueryInteractionRequest,
    response: QueryInteractionResponse,
    build: (req) => ({ a: addressParam(req.params[0] ?? ""), b: addressParam(req.params[1] ?? "") }),
  }),
  moduleQueryRoute({
    name: "reputation.params",
    pattern: pattern("\\/params"),
    path: `${Q}/Params`,
    request: QueryReputationParamsRequest,
    response: QueryReputationParamsResponse,
    build: () => ({}),
  }),
];
